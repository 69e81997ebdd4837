require "fileinto";
keep;
require "vacation";
