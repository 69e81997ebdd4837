require "vacation";
vacation :addresses ["me.alias@example.net", "Me Other <other@example.net>"] "Away.";
