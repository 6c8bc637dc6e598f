/** What homework templates need at run time: the placeholder of an emptied blank. */
package org.dllab.homework;
