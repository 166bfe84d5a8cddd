# %% [markdown] tags=["remove_cell"]
# # 销售员个人客户开发量报告（模板）
#
# 讲师用 `devvolume report SOURCE --by rep --out DIR` 为每位销售员运行本笔记本，导出为不含代码的 HTML。
# 同事的姓名默认隐去（同事A、同事B……）。报告的文字由代码按 `lang` 生成。

# %%
from html import escape

import pandas as pd
from IPython.display import HTML, display

from devvolume import charts, coaching, metrics, stats, targets
from devvolume.display import heading, paragraph, setup
from devvolume.meeting import stalled_customers
from devvolume.reports import load_source, period_window, publish_summary

# %% tags=["parameters"]
source: str = "directsales"  # 数据：数据集名称，或工作日志表文件（.xlsx / .csv）的路径
rep: str = "陈静"  # 销售员姓名，与工作日志表“销售员”列一致
period: str = "M"  # 统计周期：W 周、M 月、Q 季度、Y 年
as_of: str = ""  # 报告日期 YYYY-MM-DD；留空表示数据中的最后一天
stalled_days: int = 14  # 签约客户多少天没有任何活动算“停滞”
anonymise: bool = True  # 是否隐去同事姓名（同事A、同事B……）
lang: str = "zh"  # 报告语言：zh 中文，en 英文

# %%
setup(warn=False)
TEXT = {
    "zh": {
        "title": "{rep} · 个人客户开发量报告", "meta": "{team} · 数据截至 {day} · 本期 {start} 至 {end}",
        "volume": "一、本期开发量与目标", "trend": "二、趋势与本期预测", "funnel": "三、我的漏斗：与团队、全公司对比",
        "board": "四、团队排行（本期成交）", "stalled": "五、我的停滞签约客户（{days} 天以上无活动）",
        "advice": "六、我的瓶颈与下一步", "change": "七、最近的变化是否显著",
        "level": "阶段", "now": "本期", "before": "上期", "delta": "变化", "target": "目标", "attain": "达成率",
        "mine": "我", "team_rate": "团队", "company_rate": "全公司", "step": "环节",
        "win_rate": "赢单率（成交 ÷ 成交与流失）", "no_target": "本期没有目标数据。",
        "customer": "客户", "last": "最后活动", "idle": "停滞天数", "none_stalled": "没有停滞的签约客户。",
        "more": "另有 {n} 个未列出。", "rank": "本期在团队 {n} 人中排第 {rank} 名。",
        "bottleneck": "瓶颈在“{step}”：我 {rate}，全公司 {company}。",
        "won": "成交", "forecast": "预测", "stalled_n": "停滞客户", "bottleneck_short": "瓶颈",
    },
    "en": {
        "title": "{rep} · Personal development report", "meta": "{team} · data to {day} · period {start} to {end}",
        "volume": "1. Development volume against target", "trend": "2. Trend and forecast",
        "funnel": "3. My funnel against the team and the company", "board": "4. Team ranking (won this period)",
        "stalled": "5. My stalled signed customers (no activity for {days}+ days)",
        "advice": "6. My bottleneck and next steps", "change": "7. Is the latest change significant?",
        "level": "Stage", "now": "This period", "before": "Last period", "delta": "Change", "target": "Target",
        "attain": "Attainment", "mine": "Me", "team_rate": "Team", "company_rate": "Company", "step": "Step",
        "win_rate": "Win rate (won ÷ won and lost)", "no_target": "No targets for this period.",
        "customer": "Customer", "last": "Last activity", "idle": "Days idle",
        "none_stalled": "No stalled signed customers.", "more": "{n} more not listed.",
        "rank": "Rank {rank} of {n} in the team this period.",
        "bottleneck": "The bottleneck is {step}: me {rate}, company {company}.",
        "won": "Won", "forecast": "Forecast", "stalled_n": "Stalled", "bottleneck_short": "Bottleneck",
    },
}[lang]


data = load_source(source)
day = pd.Timestamp(as_of) if as_of else data.worklog["date"].max().normalize()
company, log = coaching.select(data.worklog, column="rep", name=rep, until=day, parameter="as_of")
team = str(log["team"].mode().iloc[0])
team_log = company[company["team"] == team]
start, end = period_window(day, period)
previous_start, previous_end = period_window(day, period, back=1)
rep_targets = None
if data.targets is not None and period != "W":
    rep_targets = data.targets[data.targets["team"] == team]

heading(TEXT["title"].format(rep=rep), 1)
paragraph(TEXT["meta"].format(team=team, day=f"{day:%Y-%m-%d}", start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"))

# %%
heading(TEXT["volume"])
LEVELS = ["contacted", "signed", "won"]
volumes = {level: metrics.development_volume(log, level=level, period=period) for level in LEVELS}

my_targets = None if rep_targets is None else rep_targets[rep_targets["rep"] == rep]
target = coaching.period_target(my_targets, start=start, end=end)
display(coaching.volume_table(volumes, start=start, previous_start=previous_start, target=target,
                              text=TEXT, lang=lang))
won_now = int(volumes["won"].loc[volumes["won"]["period"] == start, "volume"].sum())
if target is None:
    paragraph(TEXT["no_target"])

# %%
heading(TEXT["trend"])
trend = pd.concat([volumes[level].assign(level=charts.label(level, lang)) for level in LEVELS])
trend = trend[trend["period"] >= period_window(day, period, back=11)[0]]
display(charts.volume_trend(trend, period=period, by="level", lang=lang))
outlook = stats.forecast(log, period_start=start, period_end=end, as_of=day, level="won", target=target)
if lang == "zh":
    paragraph(outlook.message)
else:
    chance = "" if outlook.probability is None else f" Chance of reaching the target {target}: {outlook.probability:.0%}."
    paragraph(f"{outlook.so_far} new customers won so far ({outlook.elapsed_days} days); at this pace about "
              f"{outlook.projected:.0f} by {end:%Y-%m-%d} (95% interval {outlook.low} to {outlook.high}).{chance}")

# %%
heading(TEXT["funnel"])
funnels = {"mine": metrics.funnel(log), "team_rate": metrics.funnel(team_log), "company_rate": metrics.funnel(company)}
steps = pd.DataFrame({"level": funnels["mine"]["level"]})
for key, frame in funnels.items():
    steps[key] = frame["from_previous"].to_numpy()
steps = steps.dropna()
table = pd.DataFrame({TEXT["step"]: [coaching.Bottleneck(level, 0, 0, 0).step_name(lang) for level in steps["level"]]})
for key in funnels:
    table[TEXT[key]] = [f"{rate:.1%}" for rate in steps[key]]
wins = [metrics.win_rate(frame)["rate"].iloc[0] for frame in (log, team_log, company)]
table.loc[len(table)] = [TEXT["win_rate"], *(f"{rate:.1%}" for rate in wins)]
display(charts.funnel(funnels["mine"], lang=lang))
display(table.set_index(TEXT["step"]))

# %%
heading(TEXT["board"])
names = coaching.anonymise(sorted(team_log["rep"].unique()), keep=rep, lang=lang) if anonymise else {}
won = metrics.development_volume(team_log, level="won", period=period, by="rep")
board = won[won["period"] == start][["rep", "volume"]]
board = pd.DataFrame({"rep": sorted(team_log["rep"].unique())}).merge(board, on="rep", how="left")
board["volume"] = board["volume"].fillna(0).astype("int64")
if rep_targets is not None:
    attained = targets.attainment(team_log, rep_targets, period=period, by="rep")
    board = board.merge(attained[attained["period"] == start][["rep", "target"]], on="rep", how="left")
ranked = board.sort_values(["volume", "rep"], ascending=[False, True]).reset_index(drop=True)
rank = int((ranked["volume"] > int(board.loc[board["rep"] == rep, "volume"].iloc[0])).sum()) + 1
board["rep"] = board["rep"].map(lambda name: names.get(name, name))
display(charts.leaderboard(board, lang=lang))
paragraph(TEXT["rank"].format(n=len(board), rank=rank))

# %%
heading(TEXT["stalled"].format(days=stalled_days))
stalled = stalled_customers(company, as_of=day + pd.Timedelta(days=1), idle_days=stalled_days, team=team)
stalled = stalled[(stalled["stage"] == "signed") & (stalled["rep"] == rep)]
if stalled.empty:
    paragraph(TEXT["none_stalled"])
else:
    shown = stalled.head(15)
    display(pd.DataFrame({
        TEXT["customer"]: shown["customer"], TEXT["last"]: shown["last_date"].dt.strftime("%Y-%m-%d"),
        TEXT["idle"]: shown["idle_days"],
    }).set_index(TEXT["customer"]))
    if len(stalled) > len(shown):
        paragraph(TEXT["more"].format(n=len(stalled) - len(shown)))

# %%
heading(TEXT["advice"])
bottleneck = coaching.find_bottleneck(funnels["mine"], funnels["company_rate"], reps=1,
                                      company_reps=company["rep"].nunique())
if bottleneck.level == "contacted":
    rate, company_rate = f"{bottleneck.rate:.0f}", f"{bottleneck.company_rate:.0f}"
else:
    rate, company_rate = f"{bottleneck.rate:.1%}", f"{bottleneck.company_rate:.1%}"
paragraph(TEXT["bottleneck"].format(step=bottleneck.step_name(lang), rate=rate, company=company_rate))
by_channel = metrics.funnel(log, by="channel")
by_channel = by_channel[by_channel["level"] == "won"].sort_values(["from_first", "channel"], ascending=[False, True])
best_channel = str(by_channel["channel"].iloc[0]) if not by_channel.empty else ""
advice = coaching.recommendations(bottleneck, best_channel=best_channel, stalled=len(stalled), lang=lang)
colon = "：" if lang == "zh" else ": "
display(HTML("<ul>" + "".join(f"<li><b>{escape(s)}</b>{colon}{escape(a)}</li>" for s, a in advice) + "</ul>"))

# %%
heading(TEXT["change"])
change = stats.compare_periods(log, before=(previous_start, previous_end), after=(start, min(end, day)),
                               metric="volume", level="won")
if lang == "zh":
    paragraph(change.message)
else:
    verdict = "a real change" if change.significant else "possibly just chance"
    paragraph(f"New customers won went from {change.before[0]} in {change.before[1]} days to "
              f"{change.after[0]} in {change.after[1]} days: ×{change.effect:.2f} "
              f"(95% CI {change.ci_low:.2f} to {change.ci_high:.2f}, p = {change.p_value:.3f}); {verdict}.")

publish_summary(**{
    TEXT["won"]: won_now, TEXT["target"]: target, TEXT["attain"]: None if not target else f"{won_now / target:.0%}",
    TEXT["forecast"]: round(outlook.projected, 1), TEXT["stalled_n"]: len(stalled),
    TEXT["bottleneck_short"]: bottleneck.step_name(lang),
})
