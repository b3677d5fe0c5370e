package io.kubewizard.plan;

/**
 * A step id as the phases refer to one another's steps: a constant of the phase that owns it, so a
 * reference to a step that does not exist does not compile. {@link Step#id()} is its value.
 */
record StepId(String value) {
    @Override
    public String toString() { return value; }
}
