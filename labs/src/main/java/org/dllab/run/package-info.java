/**
 * What every lab run shares: the harness ({@link org.dllab.run.LabRun}: options checked against
 * what the lab declares ({@link org.dllab.run.LabOption}), engine, device, run folder, the stop
 * protocol of {@link org.dllab.run.TrainingInterrupt}, {@code --resume} by experiment ({@link
 * org.dllab.run.LabRun#experiment}) and within one ({@link
 * org.dllab.run.ClassifierTraining#resumable}, {@link org.dllab.run.LoopCheckpoint})), run records
 * ({@code run.json}, one schema: {@code docs/run-record.schema.json}) and their comparison, the
 * classifier training loop, schedules, evaluation, plots and memory probes.
 */
package org.dllab.run;
