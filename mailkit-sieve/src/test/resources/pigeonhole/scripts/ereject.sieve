require ["reject"];
if address :domain "from" "spam.example" { reject text:
Your message was refused.
..and this line starts with a dot.
.
;
}
