using Alba;
using Society5Kpi.Indicators;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Measurements;

/// <summary>Entered by one person, checked by a second, and only then published.</summary>
public class when_reviewing_a_figure(AppFixture app) : AppSpecification(app)
{
    private const string Fiber = "INF-02";
    private static readonly object Figure = new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "総務省" };

    protected override bool StartsFromTheSeededPlan => true;

    private async Task<IndicatorProgress> AsSeenBy(string user) =>
        (await Host.Scenario(s => s.As(user).Get.Url($"/api/indicators/{Fiber}"))).ReadAsJson<IndicatorProgress>()!;

    private async Task<PublishedIndicator> AsThePublicSeesIt() => (await Host.GetAsJson<PublishedIndicator>($"/api/indicators/{Fiber}"))!;

    [Fact]
    public async Task a_draft_is_seen_by_the_council_but_not_by_the_public_until_approved()
    {
        var figure = await Host.RecordAsync(Fiber, Figure);
        await Host.ReviewAsync(Fiber, figure.MeasurementId, "submission", TestUsers.Editor);

        var council = await AsSeenBy(TestUsers.CouncilMember);
        council.LatestDraft!.Value.ShouldBe(99.2m);
        council.LatestDraft.Review.ShouldBe(ReviewState.Submitted);
        var public1 = await AsThePublicSeesIt();
        public1.Figures.ShouldBeEmpty();
        public1.Latest.ShouldBeNull();

        await Host.ReviewAsync(Fiber, figure.MeasurementId, "approval", TestUsers.Reviewer);

        var public2 = await AsThePublicSeesIt();
        public2.Latest!.Value.ShouldBe(99.2m);
        public2.Progress!.Points.ShouldBe(1.1m);
    }

    [Fact]
    public async Task nobody_approves_their_own_entry()
    {
        // The administrator may both enter and review, but not check their own figure.
        var figure = await Host.RecordAsync(Fiber, Figure, TestUsers.Administrator);
        await Host.ReviewAsync(Fiber, figure.MeasurementId, "submission", TestUsers.Administrator);
        var before = (await App.AllEventsAsync()).Count;

        var refused = await Host.ReviewAsync(Fiber, figure.MeasurementId, "approval", TestUsers.Administrator, status: 400);

        refused.ReadAsText().ShouldContain("another reviewer must approve it");
        (await App.AllEventsAsync()).Count.ShouldBe(before);
        await Host.ReviewAsync(Fiber, figure.MeasurementId, "approval", TestUsers.Reviewer);
        (await AsThePublicSeesIt()).Latest!.Value.ShouldBe(99.2m);
    }

    [Fact]
    public async Task a_figure_sent_back_carries_the_comment_and_can_be_corrected_and_resubmitted()
    {
        var figure = await Host.RecordAsync(Fiber, Figure);
        await Host.ReviewAsync(Fiber, figure.MeasurementId, "submission", TestUsers.Editor);

        await Host.ReviewAsync(Fiber, figure.MeasurementId, "sending-back", TestUsers.Reviewer, new { comment = "出典の確定値は99.3%です" });

        var sentBack = (await AsSeenBy(TestUsers.Editor)).LatestDraft!;
        sentBack.Review.ShouldBe(ReviewState.SentBack);
        sentBack.ReviewComment.ShouldBe("出典の確定値は99.3%です");

        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Post.Json(new { value = 99.3, reason = "差し戻しを受けて修正" })
                .ToUrl($"/api/indicators/{Fiber}/measurements/{figure.MeasurementId}/corrections");
            s.StatusCodeShouldBe(200);
        });
        await Host.ReviewAsync(Fiber, figure.MeasurementId, "submission", TestUsers.SecondEditor);
        await Host.ReviewAsync(Fiber, figure.MeasurementId, "approval", TestUsers.Reviewer);

        (await AsThePublicSeesIt()).Latest!.Value.ShouldBe(99.3m);
    }

    [Fact]
    public async Task sending_back_needs_a_comment_and_only_submitted_figures_can_be_approved()
    {
        var figure = await Host.RecordAsync(Fiber, Figure);

        var notSubmitted = await Host.ReviewAsync(Fiber, figure.MeasurementId, "approval", TestUsers.Reviewer, status: 400);
        notSubmitted.ReadAsText().ShouldContain("cannot be approved now");

        await Host.ReviewAsync(Fiber, figure.MeasurementId, "submission", TestUsers.Editor);
        var noComment = await Host.ReviewAsync(Fiber, figure.MeasurementId, "sending-back", TestUsers.Reviewer, status: 400);
        noComment.ReadAsJson<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>()!.Errors.Keys.ShouldContain("comment");
    }

    [Fact]
    public async Task a_correction_of_a_published_figure_stays_a_draft_until_approved_again()
    {
        var figure = await Host.RecordPublishedAsync(Fiber, Figure);
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { value = 99.5, reason = "確定値" })
                .ToUrl($"/api/indicators/{Fiber}/measurements/{figure.MeasurementId}/corrections");
            s.StatusCodeShouldBe(200);
        });

        (await AsThePublicSeesIt()).Latest!.Value.ShouldBe(99.2m, "the public keeps the published value");
        (await AsSeenBy(TestUsers.Reviewer)).LatestDraft!.Value.ShouldBe(99.5m);

        await Host.PublishAsync(Fiber, figure.MeasurementId);
        (await AsThePublicSeesIt()).Latest!.Value.ShouldBe(99.5m);
    }
}
