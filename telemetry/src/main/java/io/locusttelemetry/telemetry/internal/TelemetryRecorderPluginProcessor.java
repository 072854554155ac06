package io.locusttelemetry.telemetry.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes {@code META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase} for the
 * classes annotated with {@code @TelemetryRecorderPlugin}, after checking that each is a public,
 * concrete subclass of {@code TelemetryRecorderPluginBase} with a public no-argument constructor
 * (a compile error otherwise). Entries already in the file (an earlier incremental build, or a
 * hand-written file) are kept while their class still exists.
 */
public final class TelemetryRecorderPluginProcessor extends AbstractProcessor {
    static final String ANNOTATION = "io.locusttelemetry.telemetry.TelemetryRecorderPlugin";
    static final String BASE = "io.locusttelemetry.telemetry.TelemetryRecorderPluginBase";
    static final String SERVICE_FILE = "META-INF/services/" + BASE;

    private final Set<String> providers = new TreeSet<>();
    private boolean errors;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(ANNOTATION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Messager messager = processingEnv.getMessager();
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
        if (annotation != null) {
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                String problem = check(e);
                if (problem != null) {
                    errors = true;
                    messager.printMessage(Diagnostic.Kind.ERROR, "@TelemetryRecorderPlugin: " + problem, e);
                } else {
                    providers.add(processingEnv.getElementUtils().getBinaryName((TypeElement) e).toString());
                }
            }
        }
        if (round.processingOver() && !errors && !providers.isEmpty()) {
            writeServiceFile();
        }
        return true;
    }

    private String check(Element e) {
        if (e.getKind() != ElementKind.CLASS) {
            return e.getSimpleName() + " must be a class";
        }
        TypeElement type = (TypeElement) e;
        String name = type.getQualifiedName().toString();
        if (!type.getModifiers().contains(Modifier.PUBLIC)) {
            return name + " must be public";
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            return name + " must not be abstract";
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            return name + " must be a static nested class";
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            return name + " must be a top-level or static nested class";
        }
        for (Element outer = type.getEnclosingElement(); outer instanceof TypeElement t; outer = t.getEnclosingElement()) {
            if (!t.getModifiers().contains(Modifier.PUBLIC)) {
                return name + " must be reachable: its enclosing class " + t.getSimpleName() + " is not public";
            }
        }
        TypeElement base = processingEnv.getElementUtils().getTypeElement(BASE);
        if (base == null || !processingEnv.getTypeUtils().isSubtype(
                processingEnv.getTypeUtils().erasure(type.asType()), processingEnv.getTypeUtils().erasure(base.asType()))) {
            return name + " must extend " + BASE;
        }
        boolean publicNoArg = false;
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC)) {
                publicNoArg = true;
            }
        }
        if (!publicNoArg) {
            return name + " needs a public constructor without arguments (ServiceLoader creates it)";
        }
        return null;
    }

    private void writeServiceFile() {
        Filer filer = processingEnv.getFiler();
        Set<String> all = new TreeSet<>(providers);
        try {
            FileObject existing = filer.getResource(StandardLocation.CLASS_OUTPUT, "", SERVICE_FILE);
            try (Reader r = existing.openReader(true); BufferedReader in = new BufferedReader(r)) {
                String line;
                while ((line = in.readLine()) != null) {
                    String entry = line.replaceFirst("#.*", "").trim();
                    if (!entry.isEmpty() && stillExists(entry)) {
                        all.add(entry);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // no earlier file
        }
        try {
            FileObject out = filer.createResource(StandardLocation.CLASS_OUTPUT, "", SERVICE_FILE);
            try (Writer w = out.openWriter()) {
                for (String p : all) {
                    w.write(p);
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "@TelemetryRecorderPlugin: cannot write " + SERVICE_FILE + ": " + e);
        }
    }

    private boolean stillExists(String binaryName) {
        return processingEnv.getElementUtils().getTypeElement(binaryName.replace('$', '.')) != null;
    }

}
