namespace Society5Kpi.Tests.Support;

/// <summary>The app's clock in the specifications: the real time unless a specification sets it.</summary>
public sealed class TestClock : TimeProvider
{
    public DateTimeOffset? Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now ?? base.GetUtcNow();

    /// <summary>Noon in Japan on that day.</summary>
    public void SetJapanDay(DateOnly day) => Now = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(9));
}

public static class Eventually
{
    /// <summary>Waits for something that happens right after a commit (a forwarded-event handler, the async daemon).</summary>
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {seconds} s");
            await Task.Delay(100);
        }
    }
}
