from kreator.cli import main

main()
