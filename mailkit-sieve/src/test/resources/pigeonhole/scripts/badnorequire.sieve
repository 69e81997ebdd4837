vacation "gone";
