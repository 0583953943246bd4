package io.df2redis.scenarios;

/**
 * The fault-injection tally: every scenario that injects faults reports how many and with what
 * outcome in one line, {@code [faults] <scenario>: <n> fault(s) (<kind>): <outcome>}, which
 * {@code .ci/run} adds up at the end of a run (issue 11 asks for at least 50 per CI run).
 */
final class Faults {
    private Faults() {
    }

    /**
     * Prints one tally line.
     *
     * @param scenario the scenario (class and case)
     * @param count the faults injected
     * @param kind what they were
     * @param outcome how the scenario ended (e.g. the Verifier's summary)
     */
    static void report(String scenario, int count, String kind, String outcome) {
        System.out.println("[faults] " + scenario + ": " + count + " fault(s) (" + kind + "): " + outcome);
    }
}
