redirect "bob@example.org";
