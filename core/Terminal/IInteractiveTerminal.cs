namespace LanTalk.Core.Terminal;

/// <summary>A console that can both draw and read keys: what interactive mode needs.</summary>
public interface IInteractiveTerminal : ITerminal, IKeySource;
