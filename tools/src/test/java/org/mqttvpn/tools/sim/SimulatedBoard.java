package org.mqttvpn.tools.sim;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A simulated ESP board on a pty: the ROM simulator holds the device end, a host program opens
 * {@link #hostPath()} as it would /dev/ttyUSB0. Closing ends socat, which ends the simulator.
 */
public final class SimulatedBoard implements AutoCloseable {
    public static final int FLASH_SIZE = 4 << 20;

    private final PtyPair pty;
    private final RomSimulator simulator;
    private final SimFlash flash;
    private final Faults faults;

    private SimulatedBoard(PtyPair pty, RomSimulator simulator, SimFlash flash, Faults faults) {
        this.pty = pty;
        this.simulator = simulator;
        this.flash = flash;
        this.faults = faults;
    }

    public static SimulatedBoard start(Path dir, SimChip chip) throws IOException, InterruptedException {
        PtyPair pty = PtyPair.start(dir);
        SimFlash flash = new SimFlash(FLASH_SIZE);
        Faults faults = new Faults();
        RomSimulator sim = new RomSimulator(chip, flash, faults, pty.device());
        sim.start();
        return new SimulatedBoard(pty, sim, flash, faults);
    }

    public String hostPath() {
        return pty.host().toString();
    }

    public SimFlash flash() {
        return flash;
    }

    public Faults faults() {
        return faults;
    }

    public RomSimulator simulator() {
        return simulator;
    }

    @Override
    public void close() throws InterruptedException {
        pty.close();
        simulator.join();
    }
}
