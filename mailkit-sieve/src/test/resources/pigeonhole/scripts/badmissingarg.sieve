

redirect;
