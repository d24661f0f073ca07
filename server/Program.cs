// Temporary entry point; the operator console and CLI replace it.
Console.WriteLine("lantalk-server");
