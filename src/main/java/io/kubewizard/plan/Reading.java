package io.kubewizard.plan;

import java.util.List;

/**
 * What a step's output teaches the jump host. One owner holds both the commands and how their
 * output reads, so the two cannot drift apart: a step that {@link Draft.StepDraft#reads reads}
 * runs exactly {@link #commands()}, and the executor hands their standard output, in the same
 * order, to {@link #parse}. Implementations are values (records or singletons): two plans are equal
 * only when their steps read the same things.
 *
 * @param <T> what is learnt
 */
public interface Reading<T> {
    /** A stable name for what is learnt ("facts", "node"), for the journal and for messages. */
    String id();

    List<String> commands();

    /**
     * @param outputs the standard output of each of {@link #commands()}, in order
     * @throws IllegalArgumentException naming the command whose output made no sense
     */
    T parse(List<String> outputs);

    /**
     * What a reading may learn beside its facts: problems that fail the step that reads it
     * ({@link Judge#READ_PROBLEMS}), each a message that names what it is about.
     */
    interface Findings {
        List<String> problems();
    }
}
