/** Start-up yardstick: the JVM floor, a class that prints one line. */
public class Hello {
    public static void main(String[] args) {
        System.out.println("hi");
    }
}
