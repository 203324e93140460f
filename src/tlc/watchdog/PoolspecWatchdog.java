/*
 * Runs a Java tool's main class (tlc2.TLC, pcal.trans, tla2sany.SANY) and ends the JVM when poolspec
 * is gone. poolspec gives the JVM a stdin pipe it never writes to; the pipe reaches end-of-file only
 * when poolspec exits, however it exits (SIGKILL included), and then this halts the JVM at once,
 * after removing the scratch directory named by -Dpoolspec.cleanup. -Dpoolspec.deadline (epoch
 * milliseconds) is a second fence: the JVM halts then whatever poolspec does.
 */
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

public final class PoolspecWatchdog {
  private PoolspecWatchdog() {}

  public static void main(String[] args) throws Throwable {
    daemon("poolspec-parent-watch", () -> {
      try {
        byte[] buf = new byte[64];
        while (System.in.read(buf) >= 0) { /* poolspec never writes; EOF means it is gone */ }
      } catch (Throwable e) {
        // a broken stdin means the same thing
      }
      cleanupAndHalt(137);
    });
    long deadline = Long.getLong("poolspec.deadline", 0L);
    if (deadline > 0) {
      daemon("poolspec-deadline", () -> {
        for (;;) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) break;
          try { Thread.sleep(Math.min(left, 1000)); } catch (InterruptedException e) { /* keep waiting */ }
        }
        System.err.println("poolspec watchdog: deadline reached, halting");
        cleanupAndHalt(124);
      });
    }
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.setAccessible(true); // pcal.trans is a package-private class with a public main
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private static void cleanupAndHalt(int status) {
    String dir = System.getProperty("poolspec.cleanup");
    if (dir != null && !dir.isEmpty()) delete(new File(dir));
    Runtime.getRuntime().halt(status);
  }

  private static void delete(File f) {
    File[] kids = f.listFiles();
    if (kids != null) for (File k : kids) delete(k);
    f.delete();
  }
}
