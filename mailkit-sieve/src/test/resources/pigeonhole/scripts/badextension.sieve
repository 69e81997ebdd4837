require "nosuchextension";
keep;
