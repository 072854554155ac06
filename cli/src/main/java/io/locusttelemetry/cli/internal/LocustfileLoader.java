package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.InitHooks;
import io.locusttelemetry.engine.LoadTestShape;
import io.locusttelemetry.engine.OnInit;
import io.locusttelemetry.engine.User;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Finds the user classes of a test: compiles {@code .java} locustfiles in memory with the JDK's
 * compiler against jlocust's own classpath, or loads classes from a jar or the classpath.
 *
 * <p>Compiled classes are kept in a cache ({@link CompileCache}), so a run of a locustfile that
 * has not changed skips javac, which takes about two seconds of a cold JVM.
 */
public final class LocustfileLoader {

    /**
     * What a locustfile defines.
     *
     * @param classes   every class of the locustfile (compiled, or in its jar), for what else it may
     *                  define: telemetry recorder plugins, for one
     * @param initHooks its {@link OnInit} methods, found on all its classes
     */
    public record Loaded(List<Class<? extends User>> userClasses, LoadTestShape shape, ClassLoader classLoader, String source,
                         List<Class<?>> classes, List<InitHooks.Hook> initHooks) {

        /** User classes given as they are (the demo, a class on the classpath): no other classes, no init hooks. */
        public Loaded(List<Class<? extends User>> userClasses, LoadTestShape shape, ClassLoader classLoader, String source) {
            this(userClasses, shape, classLoader, source, List.of(), List.of());
        }
    }

    /** How many times javac ran in this JVM (tests tell a cache hit from a compilation by it). */
    static final AtomicInteger COMPILATIONS = new AtomicInteger();

    private LocustfileLoader() {}

    public static Loaded load(String spec) {
        return load(spec, CompileCache.fromEnvironment());
    }

    static Loaded load(String spec, CompileCache cache) {
        List<Path> javaFiles = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            Path path;
            try {
                path = Path.of(p);
            } catch (java.nio.file.InvalidPathException e) {
                throw new CliException("Could not find locustfile '" + p + "': not a valid file name", 1);
            }
            if (p.endsWith(".java")) {
                if (!Files.isRegularFile(path)) {
                    throw new CliException("Could not find locustfile '" + p + "'. Make sure it exists.", 1);
                }
                javaFiles.add(path);
            } else if (p.endsWith(".jar")) {
                if (!Files.isRegularFile(path)) {
                    throw new CliException("Could not find jar '" + p + "'. Make sure it exists.");
                }
                jars.add(path);
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> s = Files.walk(path)) {
                    s.filter(f -> f.toString().endsWith(".java")).sorted(Comparator.naturalOrder()).forEach(javaFiles::add);
                } catch (IOException e) {
                    throw new CliException("Cannot read folder " + p + ": " + e.getMessage());
                }
                if (javaFiles.isEmpty()) {
                    throw new CliException("No .java files in folder '" + p + "'");
                }
            } else if (p.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*") && !p.contains("/")) {
                classNames.add(p);
            } else {
                throw new CliException("Could not find locustfile '" + p + "'. Make sure it exists.", 1);
            }
        }
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        List<Class<?>> candidates = new ArrayList<>();
        ClassLoader loader = parent;
        if (!jars.isEmpty()) {
            URL[] urls = jars.stream().map(j -> {
                try {
                    return j.toUri().toURL();
                } catch (IOException e) {
                    throw new CliException("Bad jar path " + j);
                }
            }).toArray(URL[]::new);
            loader = new URLClassLoader(urls, parent);
            for (Path jar : jars) {
                candidates.addAll(classesInJar(jar, loader));
            }
        }
        if (!javaFiles.isEmpty()) {
            MemoryClassLoader compiled = compile(javaFiles, loader, cache);
            loader = compiled;
            for (String name : compiled.names()) {
                try {
                    candidates.add(Class.forName(name, false, compiled));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new CliException("Cannot load class " + name + " from the locustfile: " + e);
                }
            }
        }
        for (String name : classNames) {
            try {
                candidates.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException e) {
                throw new CliException("Could not find locustfile or class '" + name + "' (not a file, and no such class on the classpath)", 1);
            }
        }
        List<Class<? extends User>> users = new ArrayList<>();
        List<Class<? extends LoadTestShape>> shapes = new ArrayList<>();
        for (Class<?> c : candidates) {
            if (Modifier.isAbstract(c.getModifiers()) || c.isInterface()) {
                continue;
            }
            if (User.class.isAssignableFrom(c) && !c.isMemberClass() || User.class.isAssignableFrom(c) && Modifier.isStatic(c.getModifiers())) {
                @SuppressWarnings("unchecked")
                Class<? extends User> u = (Class<? extends User>) c;
                users.add(u);
            } else if (LoadTestShape.class.isAssignableFrom(c)) {
                @SuppressWarnings("unchecked")
                Class<? extends LoadTestShape> s = (Class<? extends LoadTestShape>) c;
                shapes.add(s);
            }
        }
        users.sort(Comparator.comparing(Class::getSimpleName));
        if (shapes.size() > 1) {
            throw new CliException("The locustfile defines more than one LoadTestShape: " + shapes.stream().map(Class::getSimpleName).toList());
        }
        LoadTestShape shape = null;
        if (!shapes.isEmpty()) {
            try {
                var ctor = shapes.get(0).getDeclaredConstructor();
                ctor.setAccessible(true);
                shape = ctor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new CliException("Cannot create load shape " + shapes.get(0).getSimpleName() + ": " + e.getCause());
            }
        }
        List<InitHooks.Hook> hooks;
        try {
            hooks = InitHooks.find(candidates);
        } catch (IllegalArgumentException | LinkageError e) {
            throw new CliException("In the locustfile: " + e.getMessage());
        }
        return new Loaded(List.copyOf(users), shape, loader, spec, List.copyOf(candidates), hooks);
    }

    private static List<Class<?>> classesInJar(Path jar, ClassLoader loader) {
        List<Class<?>> out = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.contains("module-info") && !name.startsWith("META-INF")) {
                    String cn = name.substring(0, name.length() - 6).replace('/', '.');
                    try {
                        out.add(Class.forName(cn, false, loader));
                    } catch (ClassNotFoundException | LinkageError ignored) {
                        // not loadable on its own: not a user class we can run
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("Cannot read jar " + jar + ": " + e.getMessage());
        }
        return out;
    }

    private static MemoryClassLoader compile(List<Path> files, ClassLoader parent, CompileCache cache) {
        String classpath = classpathOf(parent);
        List<String> options = List.of("-classpath", classpath, "-proc:none", "-parameters", "-nowarn",
                "--release", String.valueOf(Math.max(21, Runtime.version().feature())));
        String key = cache.key(files, options);
        Map<String, byte[]> cached = key == null ? null : cache.read(key);
        if (cached != null) {
            return new MemoryClassLoader(cached, parent);
        }
        Map<String, byte[]> classes = javac(files, options);
        if (key != null) {
            cache.write(key, classes);
        }
        return new MemoryClassLoader(classes, parent);
    }

    private static Map<String, byte[]> javac(List<Path> files, List<String> options) {
        COMPILATIONS.incrementAndGet();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new CliException("Compiling a .java locustfile needs a JDK (javac), but this Java is a JRE: "
                    + System.getProperty("java.home"));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager std = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        ForwardingJavaFileManager<StandardJavaFileManager> fm = new ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return new ByteArrayOutputStream() {
                            @Override
                            public void close() {
                                classes.put(className, toByteArray());
                            }
                        };
                    }
                };
            }
        };
        Iterable<? extends JavaFileObject> units = std.getJavaFileObjectsFromPaths(files);
        boolean ok = compiler.getTask(null, fm, diagnostics, options, null, units).call();
        if (!ok) {
            StringBuilder sb = new StringBuilder();
            int errors = 0;
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                if (errors++ > 0) {
                    sb.append('\n');
                }
                String file = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).toString();
                sb.append(file).append(':').append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT).split("\n")[0]);
            }
            throw CliException.lines(sb.length() == 0 ? "The locustfile did not compile" : sb.toString(), 2);
        }
        return classes;
    }

    private static String classpathOf(ClassLoader loader) {
        List<String> parts = new ArrayList<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        parts.add(Path.of(url.toURI()).toString());
                    } catch (Exception ignored) {
                        // not a file URL
                    }
                }
            }
        }
        parts.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, parts);
    }

    /** Serves classes compiled in memory, also as resources (task order is read from class files). */
    static final class MemoryClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        MemoryClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("locustfile", parent);
            this.classes = classes;
        }

        List<String> names() {
            return List.copyOf(classes.keySet());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            if (name.endsWith(".class")) {
                byte[] bytes = classes.get(name.substring(0, name.length() - 6).replace('/', '.'));
                if (bytes != null) {
                    return new ByteArrayInputStream(bytes);
                }
            }
            return super.getResourceAsStream(name);
        }
    }
}
