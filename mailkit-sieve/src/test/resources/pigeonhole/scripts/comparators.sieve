require "fileinto";
if header :is :comparator "i;octet" "subject" "hello world from ann" { fileinto "OctetLower"; }
if header :is :comparator "i;ascii-casemap" "subject" "hello world from ann" { fileinto "Casemap"; }
if header :contains :comparator "i;octet" "subject" "World" { fileinto "OctetContains"; }
