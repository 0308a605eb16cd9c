package dev.lineagehub.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.sdk.client.HubClient;
import dev.lineagehub.sdk.client.HubException;
import dev.lineagehub.sdk.client.KafkaTransport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a worker can reach is the SDK's own: every public signature names only the JDK's, OpenLineage's
 * and the SDK's types (not Jackson's, Kafka's or DataHub's, which a worker may not even have), and the
 * typed errors are made by the SDK alone.
 */
class PublicSurfaceTest {

    private static final List<String> ALLOWED = List.of("java.", "io.openlineage.client.", "dev.lineagehub.sdk.");

    @Test
    void publicSignaturesNameOnlyTheJdksOpenLineagesAndTheSdksTypes() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()) {
                    check(leaks, method.toGenericString(), method.getGenericReturnType());
                    checkParameters(leaks, method);
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(constructor.getModifiers())) {
                    checkParameters(leaks, constructor);
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isPublic(field.getModifiers())) {
                    check(leaks, field.toGenericString(), field.getGenericType());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void onlyTheSdkMakesItsTypedErrors() throws Exception {
        List<String> constructors = new ArrayList<>();
        for (Class<?> type : publicClasses()) {
            if (HubException.class.isAssignableFrom(type)) {
                Stream.of(type.getDeclaredConstructors()).filter(c -> Modifier.isPublic(c.getModifiers()))
                        .forEach(c -> constructors.add(c.toGenericString()));
            }
        }
        assertThat(constructors).isEmpty();
    }

    @Test
    void theApiPackagesAreTheOnlyOnes() throws Exception {
        assertThat(publicClasses()).extracting(Class::getPackageName).containsOnly("dev.lineagehub.sdk", "dev.lineagehub.sdk.client");
        assertThat(publicClasses()).contains(LineageHub.class, JobContext.class, HubClient.class, KafkaTransport.Config.class)
                .doesNotContain(Dispatcher.class, Run.class);
    }

    private static void checkParameters(List<String> leaks, Executable executable) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(leaks, executable.toGenericString(), parameter);
        }
    }

    private static void check(List<String> leaks, String where, Type type) {
        if (type instanceof ParameterizedType parameterized) {
            check(leaks, where, parameterized.getRawType());
            for (Type argument : parameterized.getActualTypeArguments()) {
                check(leaks, where, argument);
            }
        } else if (type instanceof WildcardType wildcard) {
            Stream.of(wildcard.getUpperBounds()).forEach(bound -> check(leaks, where, bound));
        } else if (type instanceof Class<?> plain) {
            Class<?> element = plain;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            String name = element.getName();
            if (!element.isPrimitive() && ALLOWED.stream().noneMatch(name::startsWith)) {
                leaks.add(where + " names " + name);
            }
        }
    }

    /** The public top-level and nested classes compiled from the SDK's sources. */
    private static List<Class<?>> publicClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(LineageHub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, PublicSurfaceTest.class.getClassLoader());
                if (isReachable(type)) {
                    classes.add(type);
                }
            }
        }
        return classes;
    }

    private static boolean isReachable(Class<?> type) {
        for (Class<?> enclosing = type; enclosing != null; enclosing = enclosing.getEnclosingClass()) {
            if (!Modifier.isPublic(enclosing.getModifiers()) || enclosing.isAnonymousClass() || enclosing.isSynthetic()) {
                return false;
            }
        }
        return true;
    }
}
