package io.kubewizard.bench;

/**
 * Surefire only runs classes named *Test (its default includes) and the pom's benchmark profile adds no
 * include for *Benchmark, so this name carries {@link ValidateRenderBenchmark} into
 * {@code mvn -B -o test -Pbenchmark}; the inherited "benchmark" tag keeps it out of ordinary runs.
 */
class ValidateRenderBenchmarkTest extends ValidateRenderBenchmark {}
