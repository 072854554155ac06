public class NoUsers {
    public static String hello() {
        return "no users here";
    }
}
