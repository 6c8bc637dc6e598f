/**
 * The {@code dllab} command line (picocli): one class a subcommand, shared run options in a mixin.
 */
package org.dllab.cli;
