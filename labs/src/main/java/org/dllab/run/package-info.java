/** What every lab run shares: options, the training loop, run records ({@code run.json}), plots and memory probes. */
package org.dllab.run;
