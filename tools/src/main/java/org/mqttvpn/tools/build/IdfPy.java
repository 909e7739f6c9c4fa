package org.mqttvpn.tools.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * The idf.py steps for ESP32-family devices. -C (project directory), -p (port) and -b (baud) are
 * idf.py global options and go before the action.
 */
public final class IdfPy {
    public static final String TOOL = "idf.py";

    static final String INSTALL_STEPS = "idf.py was not found (not on PATH, and $IDF_PATH/tools/idf.py does not "
            + "exist). Install ESP-IDF and load its environment:\n"
            + "  git clone --recursive https://github.com/espressif/esp-idf.git ~/esp/esp-idf\n"
            + "  ~/esp/esp-idf/install.sh esp32,esp32c3,esp32s3\n"
            + "  . ~/esp/esp-idf/export.sh\n"
            + "(see https://docs.espressif.com/projects/esp-idf/en/stable/esp32/get-started/linux-macos-setup.html)";

    private final ToolRunner runner;

    public IdfPy(ToolRunner runner) {
        this.runner = runner;
    }

    public boolean isInstalled() {
        return runner.locator().idfPy().isPresent();
    }

    private Path executable() {
        return runner.locator().idfPy().orElseThrow(() -> new ToolkitException(ExitCode.UNAVAILABLE, INSTALL_STEPS));
    }

    /** {@code idf.py -C PROJECT build}. */
    public void build(Path project) throws InterruptedException {
        runner.run(TOOL, executable(), List.of("-C", ToolRunner.abs(project), "build"));
    }

    /** {@code idf.py -C PROJECT -p PORT [-b BAUD] flash}; baud 0 leaves idf.py's default. */
    public void flash(Path project, String port, int baud) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("-C", ToolRunner.abs(project), "-p", port));
        if (baud > 0) {
            args.add("-b");
            args.add(Integer.toString(baud));
        }
        args.add("flash");
        runner.run(TOOL, executable(), args);
    }
}
