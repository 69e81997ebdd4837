require "reject";
if header :contains "subject" ["won", "prize"] { reject "We do not accept this kind of mail."; }
