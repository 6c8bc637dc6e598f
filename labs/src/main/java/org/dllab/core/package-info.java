/** Start-up of DJL (offline, no tracking), devices and other pieces every part of dllab shares. */
package org.dllab.core;
