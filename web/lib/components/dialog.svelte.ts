/**
 * A header dialog's state (the timer, the password change): bind `element` to the <dialog> and draw its content
 * only while `open`, so each opening starts from a fresh form. The dialog's own close (Escape) calls closed().
 */
export class DialogState {
    element = $state<HTMLDialogElement>();
    open = $state(false);

    /** Opens the dialog as a modal. */
    show = (): void => {
        this.open = true;
        this.element?.showModal();
    };

    /** Closes it from a button of its own. */
    close = (): void => {
        this.open = false;
        this.element?.close();
    };

    /** What the <dialog>'s close event does: the content goes with it. */
    closed = (): void => {
        this.open = false;
    };
}
