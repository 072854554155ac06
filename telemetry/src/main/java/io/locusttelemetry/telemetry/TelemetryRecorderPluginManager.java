package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of recorder plugins: finds them with {@link ServiceLoader} (see
 * {@link TelemetryRecorderPlugin}), refuses two plugins with the same id, adds their options to the
 * command line, picks the enabled ones and merges their metadata. Plugins are kept sorted by id.
 */
public final class TelemetryRecorderPluginManager {
    private static final Logger log = LoggerFactory.getLogger(TelemetryRecorderPluginManager.class);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final Map<String, TelemetryRecorderPluginBase> plugins;

    private TelemetryRecorderPluginManager(Map<String, TelemetryRecorderPluginBase> plugins) {
        this.plugins = Collections.unmodifiableMap(plugins);
    }

    /**
     * Finds every plugin registered in {@code META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase}
     * visible to {@code loader}.
     *
     * @throws TelemetryConfigurationException when two plugins share an id, an id is invalid, or a plugin cannot be created
     */
    public static TelemetryRecorderPluginManager discover(ClassLoader loader) {
        List<TelemetryRecorderPluginBase> found = new ArrayList<>();
        Iterator<TelemetryRecorderPluginBase> it = ServiceLoader.load(TelemetryRecorderPluginBase.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new TelemetryConfigurationException("cannot load a telemetry recorder plugin: " + e.getMessage()
                        + (cause != e ? " (" + cause + ")" : ""), e);
            }
        }
        return of(found);
    }

    /**
     * Finds the plugins registered for {@code loader} (see {@link #discover(ClassLoader)}) and those
     * among {@code classes} that carry {@link TelemetryRecorderPlugin}: the classes of a locustfile
     * compiled in memory or of a jar given as the locustfile, where no {@code META-INF/services}
     * entry may exist. A class found both ways counts once; two plugins with the same id are refused
     * as ever.
     *
     * @throws TelemetryConfigurationException when an annotated class cannot be a plugin (not public,
     *                                         abstract, no public constructor without arguments, ...),
     *                                         or for the reasons of {@link #of}
     */
    public static TelemetryRecorderPluginManager discover(ClassLoader loader, Collection<Class<?>> classes) {
        List<TelemetryRecorderPluginBase> found = new ArrayList<>(discover(loader).plugins.values());
        Set<String> known = new java.util.HashSet<>();
        found.forEach(p -> known.add(p.getClass().getName()));
        for (Class<?> c : classes) {
            if (c.isAnnotationPresent(TelemetryRecorderPlugin.class) && known.add(c.getName())) {
                found.add(instantiate(c));
            }
        }
        return of(found);
    }

    /** Creates an annotated class found among a locustfile's classes, with the checks of the annotation processor. */
    private static TelemetryRecorderPluginBase instantiate(Class<?> c) {
        String problem = null;
        int m = c.getModifiers();
        if (!TelemetryRecorderPluginBase.class.isAssignableFrom(c)) {
            problem = "must extend " + TelemetryRecorderPluginBase.class.getName();
        } else if (!java.lang.reflect.Modifier.isPublic(m)) {
            problem = "must be public";
        } else if (java.lang.reflect.Modifier.isAbstract(m)) {
            problem = "must not be abstract";
        } else if (c.isMemberClass() && !java.lang.reflect.Modifier.isStatic(m)) {
            problem = "must be a static nested class";
        } else if (c.isLocalClass() || c.isAnonymousClass()) {
            problem = "must be a top-level or static nested class";
        } else {
            for (Class<?> outer = c.getEnclosingClass(); outer != null && problem == null; outer = outer.getEnclosingClass()) {
                if (!java.lang.reflect.Modifier.isPublic(outer.getModifiers())) {
                    problem = "must be reachable: its enclosing class " + outer.getSimpleName() + " is not public";
                }
            }
        }
        java.lang.reflect.Constructor<?> constructor = null;
        if (problem == null) {
            try {
                constructor = c.getConstructor();
            } catch (NoSuchMethodException e) {
                problem = "needs a public constructor without arguments";
            }
        }
        if (problem != null) {
            throw new TelemetryConfigurationException("@TelemetryRecorderPlugin: " + c.getName() + " " + problem);
        }
        try {
            return (TelemetryRecorderPluginBase) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            throw new TelemetryConfigurationException("cannot create telemetry recorder plugin " + c.getName() + ": " + cause, cause);
        }
    }

    /** Finds the plugins visible to this class's own class loader. */
    public static TelemetryRecorderPluginManager discover() {
        return discover(TelemetryRecorderPluginManager.class.getClassLoader());
    }

    /**
     * A registry of the given plugins.
     *
     * @throws TelemetryConfigurationException when two plugins share an id or an id is invalid
     */
    public static TelemetryRecorderPluginManager of(Collection<? extends TelemetryRecorderPluginBase> plugins) {
        Map<String, TelemetryRecorderPluginBase> byId = new TreeMap<>();
        for (TelemetryRecorderPluginBase p : plugins) {
            String id = p.id();
            if (id == null || !ID.matcher(id).matches()) {
                throw new TelemetryConfigurationException("telemetry recorder plugin " + p.getClass().getName() + " has an invalid id '"
                        + id + "' (use lower-case letters, digits, '-' and '_')");
            }
            TelemetryRecorderPluginBase previous = byId.putIfAbsent(id, p);
            if (previous != null) {
                throw new TelemetryConfigurationException("telemetry recorder id '" + id + "' is declared by two plugins: "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        log.debug("telemetry recorder plugins: {}", byId.values());
        return new TelemetryRecorderPluginManager(byId);
    }

    /** Every known plugin, sorted by id. */
    public List<TelemetryRecorderPluginBase> plugins() {
        return List.copyOf(plugins.values());
    }

    /** The known ids, sorted. */
    public Set<String> ids() {
        return plugins.keySet();
    }

    /** The plugin with this id. */
    public Optional<TelemetryRecorderPluginBase> plugin(String id) {
        return Optional.ofNullable(plugins.get(id));
    }

    /**
     * Adds the core telemetry options under {@link TelemetryOptions#GROUP_TITLE}, then each plugin's
     * options under the plugin's {@link TelemetryRecorderPluginBase#title() title} (a plugin without
     * options gets no group).
     */
    public void registerCliArguments(CommandLineParser parser) {
        TelemetryOptions.addCoreOptions(parser.addArgumentGroup(TelemetryOptions.GROUP_TITLE));
        for (TelemetryRecorderPluginBase p : plugins.values()) {
            LazyGroup group = new LazyGroup(parser, p.title());
            p.addCliArguments(group);
        }
    }

    /** Creates the group on its first option, so that plugins without options add no empty heading. */
    private static final class LazyGroup implements CommandLineParser.OptionGroup {
        private final CommandLineParser parser;
        private final String title;
        private CommandLineParser.OptionGroup group;

        LazyGroup(CommandLineParser parser, String title) {
            this.parser = parser;
            this.title = title;
        }

        @Override
        public CommandLineParser.OptionGroup addArgument(OptionSpec option) {
            if (group == null) {
                group = parser.addArgumentGroup(title);
            }
            group.addArgument(option);
            return this;
        }
    }

    /**
     * The plugins with these ids, in the given order.
     *
     * @throws TelemetryConfigurationException for an unknown id, listing the known ones
     */
    public List<TelemetryRecorderPluginBase> enabledPlugins(Collection<String> ids) {
        List<TelemetryRecorderPluginBase> out = new ArrayList<>();
        for (String id : ids) {
            TelemetryRecorderPluginBase p = plugins.get(id);
            if (p == null) {
                throw new TelemetryConfigurationException("unknown telemetry recorder '" + id + "' in --enable-telemetry-recorder; known recorders: "
                        + (plugins.isEmpty() ? "none (no recorder plugin on the classpath)" : String.join(", ", plugins.keySet())));
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Checks the options of the enabled plugins. */
    public void validate(Collection<TelemetryRecorderPluginBase> enabled, ParsedOptions options) {
        for (TelemetryRecorderPluginBase p : enabled) {
            p.validate(options);
        }
    }

    /**
     * The plugins' metadata merged in order. {@code run_id} and {@code testplan} cannot be set by a
     * plugin, and the first plugin to set a key keeps it; both cases are logged.
     */
    public Map<String, Object> testMetadata(Collection<TelemetryRecorderPluginBase> enabled) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, String> owner = new LinkedHashMap<>();
        for (TelemetryRecorderPluginBase p : enabled) {
            Map<String, Object> m = p.addTestMetadata();
            if (m == null) {
                continue;
            }
            m.forEach((k, v) -> {
                if (k.equals("run_id") || k.equals("testplan")) {
                    log.warn("telemetry plugin '{}' tried to set reserved metadata '{}': ignored", p.id(), k);
                } else if (owner.containsKey(k)) {
                    log.warn("telemetry plugins '{}' and '{}' both set metadata '{}': keeping the first", owner.get(k), p.id(), k);
                } else {
                    owner.put(k, p.id());
                    merged.put(k, v);
                }
            });
        }
        return merged;
    }
}
