require ["variables", "fileinto", "relational"];
set "a" "Hello";
set :upper "b" "${a}";
set :lower :upperfirst "c" "wORLD";
set :length "n" "${a}${c}";
set :quotewildcard "q" "a*b?";
if string :is "${b}" "HELLO" { fileinto "upper-${b}"; }
if string :is "${c}" "World" { fileinto "first-${c}"; }
if string :is "${n}" "10" { fileinto "len-${n}"; }
if string :is "${q}" "a\\*b\\?" { fileinto "quoted"; }
if string :count "eq" ["a", "", "b"] "2" { fileinto "counted"; }
