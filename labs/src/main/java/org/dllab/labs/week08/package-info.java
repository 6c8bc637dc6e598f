/**
 * Week 8: recurrent networks on text. Sentiment on IMDb with an embedding bag, RNN, LSTM, GRU and
 * BiLSTM.
 */
package org.dllab.labs.week08;
