package io.kubewizard.plan;

/** One phase of a plan: the steps it adds for the spec and the files it claims. One class per phase. */
interface PlanPhase {
    String id();

    String title();

    void addSteps(Draft draft);
}
