/**
 * The dataset layer: where data lives ({@link org.dllab.data.DataLocations}), what each dataset is
 * ({@link org.dllab.data.DatasetCatalog}), downloads with checksums ({@link
 * org.dllab.data.Downloader}), and readers for the official formats (MNIST IDX, CIFAR-10 binary,
 * aclImdb, plain text, GPT-2 BPE) that fail with a message naming the file rather than crash or
 * return partial data.
 */
package org.dllab.data;
