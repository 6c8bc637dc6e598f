package org.dllab.homework;

/**
 * The placeholder that student templates use where an expression was removed: {@code x =
 * Todo.value("hw1-4");} compiles for any type and fails, when reached, with the blank's id and
 * hint, so a public test's failure says which blank is still empty.
 */
public final class Todo {

    private Todo() {}

    /**
     * Fails: this blank has not been filled in yet.
     *
     * @param id the blank's id and hint, e.g. {@code hw1-4: compute dL/dW}
     * @param <T> whatever type the blank needs
     * @return never
     * @throws UnsupportedOperationException always
     */
    public static <T> T value(String id) {
        throw new UnsupportedOperationException("TODO(" + id + ") is not filled in yet");
    }
}
