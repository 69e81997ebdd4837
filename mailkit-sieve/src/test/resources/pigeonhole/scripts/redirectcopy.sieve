require "copy";
redirect :copy "archive@example.org";
redirect :copy "archive@example.org";
