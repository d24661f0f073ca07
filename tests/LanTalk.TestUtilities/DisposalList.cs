namespace LanTalk.TestUtilities;

/// <summary>
/// What a test opened, disposed in reverse at TearDown. Every item is disposed and the list emptied even when one
/// dispose throws: a fixture instance serves all its tests, so a list left full made the next test's TearDown fail
/// on the previous test's items (a cascade that hid the one real failure).
/// </summary>
public sealed class DisposalList
{
    private readonly List<IAsyncDisposable> _items = [];

    /// <summary>Adds <paramref name="item"/> and returns it.</summary>
    public T Add<T>(T item) where T : IAsyncDisposable
    {
        _items.Add(item);
        return item;
    }

    /// <summary>Disposes everything added, newest first; throws the failures afterwards, all of them.</summary>
    public async Task DisposeAllAsync()
    {
        var items = Enumerable.Reverse(_items).ToList();
        _items.Clear();
        List<Exception>? errors = null;
        foreach (var item in items)
        {
            try
            {
                await item.DisposeAsync();
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("disposing what the test opened failed", errors);
        }
    }
}
