require ["vacation"];
keep;
vacation :days 1 "Thanks for your message.";
