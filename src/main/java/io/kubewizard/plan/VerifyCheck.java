package io.kubewizard.plan;

import java.util.List;

/**
 * One check of {@code verify} run as a command on the lead, its output and exit status read back so
 * the jump host judges it ({@link Judge#READ_PROBLEMS}) with a message that names the check and the
 * node: the command's own exit status alone would fail the step with only the program's name.
 *
 * @param check       the check's name in the results ("dns", "pod-network")
 * @param node        the node it is about; {@link #CLUSTER} for a check of the whole cluster
 * @param command     a POSIX sh command line; stdout and stderr are read together
 * @param expectation what should have happened, for the message when it did not
 * @param expect      whether the command must succeed, or must be refused by Pod Security admission
 */
record VerifyCheck(String check, String node, String command, String expectation, Expect expect)
        implements Reading<List<String>> {
    static final String CLUSTER = "-";
    static final String EXIT = "kubewizard-exit=";
    /** What Pod Security admission says when it refuses a pod (also to a server-side dry run). */
    static final String POD_SECURITY_REFUSAL = "violates PodSecurity";

    enum Expect { SUCCEEDS, REFUSED_BY_POD_SECURITY }

    public String id() { return "verify-" + check + (node.equals(CLUSTER) ? "" : "-" + node); }

    public List<String> commands() {
        return List.of("{ " + command + "; } 2>&1; echo \"" + EXIT + "$?\"");
    }

    public List<String> parse(List<String> outputs) {
        String out = outputs.get(0);
        int mark = out.lastIndexOf(EXIT);
        if (mark < 0) throw new IllegalArgumentException("no exit status after the check's output");
        int code = Integer.parseInt(out.substring(mark + EXIT.length()).strip());
        String said = out.substring(0, mark).strip();
        String last = said.lines().reduce((a, b) -> b).orElse("no output");
        boolean passed = switch (expect) {
            case SUCCEEDS -> code == 0;
            case REFUSED_BY_POD_SECURITY -> code != 0 && said.contains(POD_SECURITY_REFUSAL);
        };
        if (passed) return List.of();
        String where = node.equals(CLUSTER) ? "" : " on " + node;
        return List.of(check + where + ": " + expectation + " (" + (expect == Expect.SUCCEEDS ? "exit " + code + ": " : "")
                + last + ")");
    }
}
