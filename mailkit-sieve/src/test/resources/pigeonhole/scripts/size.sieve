require "fileinto";
if size :over 1K { fileinto "Big"; }
if size :under 300 { fileinto "Tiny"; }
