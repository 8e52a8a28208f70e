"""Sub-command handlers of the command line. Each module offers add_arguments(parser) and run(args)."""
