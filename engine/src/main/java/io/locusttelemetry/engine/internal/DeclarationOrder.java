package io.locusttelemetry.engine.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the order in which methods and nested classes are declared from the class file, because
 * reflection does not promise any order and a {@code SequentialTaskSet} runs its tasks in source
 * order. javac writes methods in source order.
 */
public final class DeclarationOrder {
    private DeclarationOrder() {}

    public static List<String> methodNames(Class<?> cls) {
        List<String> out = new ArrayList<>();
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            out.addAll(read(c, false));
        }
        return out;
    }

    static List<String> nestedClassNames(Class<?> cls) {
        List<String> out = new ArrayList<>();
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            out.addAll(read(c, true));
        }
        return out;
    }

    private static List<String> read(Class<?> cls, boolean nested) {
        String resource = cls.getName().replace('.', '/') + ".class";
        ClassLoader loader = cls.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : cls.getClassLoader();
        try (InputStream raw = loader.getResourceAsStream(resource)) {
            if (raw == null) {
                return List.of();
            }
            return parse(new DataInputStream(raw), nested);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> parse(DataInputStream in, boolean nested) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            return List.of();
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort();
        int thisClass = in.readUnsignedShort();
        in.readUnsignedShort();
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            in.readUnsignedShort();
        }
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            skipMember(in);
        }
        List<String> methods = new ArrayList<>();
        int methodCount = in.readUnsignedShort();
        for (int i = 0; i < methodCount; i++) {
            in.readUnsignedShort();
            methods.add(utf8[in.readUnsignedShort()]);
            in.readUnsignedShort();
            skipAttributes(in);
        }
        if (!nested) {
            return methods;
        }
        List<String> classes = new ArrayList<>();
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            String name = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            if ("InnerClasses".equals(name)) {
                int n = in.readUnsignedShort();
                for (int j = 0; j < n; j++) {
                    int inner = in.readUnsignedShort();
                    int outer = in.readUnsignedShort();
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                    if (outer == thisClass && inner != 0) {
                        classes.add(utf8[classNameIndex[inner]].replace('/', '.'));
                    }
                }
            } else {
                in.skipNBytes(length);
            }
        }
        return classes;
    }

    private static void skipMember(DataInputStream in) throws IOException {
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.readUnsignedShort();
        skipAttributes(in);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
        }
    }
}
