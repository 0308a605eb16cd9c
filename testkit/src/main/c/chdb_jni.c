/*
 * JNI glue between the ClickHouse HTTP test fixture (dev.lineagehub.testing.clickhouse.Chdb) and chDB's
 * C API in libchdb.so: the real ClickHouse engine, in process. Built by ./lineage-hub test; the
 * declarations follow chdb.h of chDB 26.x, which the npm package does not ship.
 *
 * ClickHouse installs its own SIGSEGV handler, which takes the signals the JVM uses for implicit null
 * checks and the JVM dies with 139; the JVM must run with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so
 * (signal chaining), as otel-consumer's surefire configuration does.
 */
#include <jni.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct chdb_connection_ { void *internal_data; } *chdb_connection;
typedef struct chdb_result_ { void *internal_data; } chdb_result;

chdb_connection *chdb_connect(int argc, char **argv);
void chdb_close_conn(chdb_connection *conn);
chdb_result *chdb_query_n(chdb_connection conn, const char *query, size_t query_len, const char *format, size_t format_len);
void chdb_destroy_query_result(chdb_result *result);
char *chdb_result_buffer(chdb_result *result);
size_t chdb_result_length(chdb_result *result);
const char *chdb_result_error(chdb_result *result);

static void throw_chdb(JNIEnv *env, const char *message) {
    jclass type = (*env)->FindClass(env, "dev/lineagehub/testing/clickhouse/ClickHouseEngineException");
    if (type != NULL) {
        (*env)->ThrowNew(env, type, message);
    }
}

JNIEXPORT jlong JNICALL Java_dev_lineagehub_testing_clickhouse_Chdb_connect(JNIEnv *env, jclass cls, jobjectArray args) {
    jsize argc = (*env)->GetArrayLength(env, args);
    char **argv = calloc((size_t) argc + 1, sizeof(char *));
    for (jsize i = 0; i < argc; i++) {
        jstring arg = (jstring) (*env)->GetObjectArrayElement(env, args, i);
        const char *chars = (*env)->GetStringUTFChars(env, arg, NULL);
        argv[i] = strdup(chars);
        (*env)->ReleaseStringUTFChars(env, arg, chars);
    }
    chdb_connection *conn = chdb_connect((int) argc, argv);
    for (jsize i = 0; i < argc; i++) {
        free(argv[i]);
    }
    free(argv);
    if (conn == NULL) {
        throw_chdb(env, "chdb_connect failed");
        return 0;
    }
    return (jlong) (intptr_t) conn;
}

/* Runs one statement; returns the output bytes, or throws ClickHouseEngineException with ClickHouse's message. */
JNIEXPORT jbyteArray JNICALL Java_dev_lineagehub_testing_clickhouse_Chdb_query(JNIEnv *env, jclass cls, jlong handle,
                                                                         jbyteArray query, jstring format) {
    chdb_connection *conn = (chdb_connection *) (intptr_t) handle;
    jsize query_len = (*env)->GetArrayLength(env, query);
    jbyte *query_bytes = (*env)->GetByteArrayElements(env, query, NULL);
    const char *format_chars = (*env)->GetStringUTFChars(env, format, NULL);
    chdb_result *result = chdb_query_n(*conn, (const char *) query_bytes, (size_t) query_len, format_chars, strlen(format_chars));
    (*env)->ReleaseStringUTFChars(env, format, format_chars);
    (*env)->ReleaseByteArrayElements(env, query, query_bytes, JNI_ABORT);
    if (result == NULL) {
        throw_chdb(env, "chdb_query_n returned no result");
        return NULL;
    }
    const char *error = chdb_result_error(result);
    if (error != NULL) {
        throw_chdb(env, error);
        chdb_destroy_query_result(result);
        return NULL;
    }
    size_t length = chdb_result_length(result);
    jbyteArray output = (*env)->NewByteArray(env, (jsize) length);
    if (output != NULL && length > 0) {
        (*env)->SetByteArrayRegion(env, output, 0, (jsize) length, (const jbyte *) chdb_result_buffer(result));
    }
    chdb_destroy_query_result(result);
    return output;
}

JNIEXPORT void JNICALL Java_dev_lineagehub_testing_clickhouse_Chdb_close(JNIEnv *env, jclass cls, jlong handle) {
    chdb_close_conn((chdb_connection *) (intptr_t) handle);
}
