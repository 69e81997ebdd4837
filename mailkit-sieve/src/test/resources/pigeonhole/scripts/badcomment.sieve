/* never closed
keep;
