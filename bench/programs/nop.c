/* nop: measures runtime startup alone. The argument is accepted (and ignored) so every program
 * in the suite is started the same way. */
int main(void) { return 0; }
