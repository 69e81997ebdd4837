require "vacation";
vacation :days 3 :subject "Out of office" :from "me@example.net" :handle "ooo-2026" "Back on Monday.";
