# no action: the implicit keep
