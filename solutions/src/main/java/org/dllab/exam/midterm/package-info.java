/**
 * The week-9 midterm program: a small MNIST experiment built from the week 4–8 material (data preparation, losses,
 * hand-written optimizers, a CNN, dropout, sequences, the training step and evaluation). Your copy has several
 * mistakes in it. Run it ({@code dllab exam run}), read what it prints, find each mistake and fix it where it is,
 * changing nothing else: each part is graded by its behaviour, and a fix that breaks another part costs that part.
 *
 * <p>期中考程式：以第 4–8 週內容組成的 MNIST 小實驗。你的版本裡有數個錯誤：執行它、讀輸出、找出每個錯誤並就地修正，
 * 不要改動其他部分；每個部分依行為評分，修正時弄壞其他部分會失去該部分的分數。
 */
package org.dllab.exam.midterm;
