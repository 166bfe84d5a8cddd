# %% [markdown] tags=["remove_cell"]
# # 团队客户开发量报告（模板）
#
# 讲师用 `devvolume report SOURCE --by team --out DIR` 为每个团队运行本笔记本，导出为不含代码的 HTML。
# 下面带 `parameters` 标签的单元格是参数；报告的文字由代码按 `lang` 生成。

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
team: str = "华东一组"  # 团队名称，与工作日志表“团队”列一致
period: str = "M"  # 统计周期：W 周、M 月、Q 季度、Y 年
as_of: str = ""  # 报告日期 YYYY-MM-DD；留空表示数据中的最后一天
stalled_days: int = 14  # 签约客户多少天没有任何活动算“停滞”
lang: str = "zh"  # 报告语言：zh 中文，en 英文

# %%
setup(warn=False)
TEXT = {
    "zh": {
        "title": "{team} · 客户开发量报告", "meta": "数据截至 {day} · 本期 {start} 至 {end}",
        "volume": "一、本期开发量与目标", "trend": "二、趋势与本期预测", "funnel": "三、漏斗与转化：与全公司对比",
        "board": "四、销售员排行", "stalled": "五、停滞的签约客户（{days} 天以上无活动）",
        "advice": "六、瓶颈与建议", "change": "七、最近的变化是否显著",
        "level": "阶段", "now": "本期", "before": "上期", "delta": "变化", "target": "目标",
        "attain": "达成率", "team_rate": "本团队", "company_rate": "全公司", "step": "环节",
        "win_rate": "赢单率（成交 ÷ 成交与流失）", "no_target": "本期没有目标数据。",
        "customer": "客户", "rep": "销售员", "last": "最后活动", "idle": "停滞天数",
        "none_stalled": "没有停滞的签约客户。", "more": "另有 {n} 个未列出。",
        "bottleneck": "瓶颈在“{step}”：本团队 {rate}，全公司 {company}。",
        "won": "成交", "forecast": "预测", "stalled_n": "停滞客户",
        "bottleneck_short": "瓶颈",
    },
    "en": {
        "title": "{team} · Customer development report", "meta": "Data to {day} · period {start} to {end}",
        "volume": "1. Development volume against target", "trend": "2. Trend and forecast",
        "funnel": "3. Funnel and conversion against the company", "board": "4. Rep leaderboard",
        "stalled": "5. Stalled signed customers (no activity for {days}+ days)",
        "advice": "6. Bottleneck and recommendations", "change": "7. Is the latest change significant?",
        "level": "Stage", "now": "This period", "before": "Last period", "delta": "Change",
        "target": "Target", "attain": "Attainment", "team_rate": "Team", "company_rate": "Company",
        "step": "Step", "win_rate": "Win rate (won ÷ won and lost)", "no_target": "No targets for this period.",
        "customer": "Customer", "rep": "Rep", "last": "Last activity", "idle": "Days idle",
        "none_stalled": "No stalled signed customers.", "more": "{n} more not listed.",
        "bottleneck": "The bottleneck is {step}: team {rate}, company {company}.",
        "won": "Won", "forecast": "Forecast", "stalled_n": "Stalled", "bottleneck_short": "Bottleneck",
    },
}[lang]


data = load_source(source)
day = pd.Timestamp(as_of) if as_of else data.worklog["date"].max().normalize()
company, log = coaching.select(data.worklog, column="team", name=team, until=day, parameter="as_of")
start, end = period_window(day, period)
previous_start, previous_end = period_window(day, period, back=1)
reps = sorted(log["rep"].unique())
team_targets = None
if data.targets is not None and period != "W":
    team_targets = data.targets[data.targets["team"] == team]

heading(TEXT["title"].format(team=team), 1)
paragraph(TEXT["meta"].format(day=f"{day:%Y-%m-%d}", start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"))

# %%
heading(TEXT["volume"])
LEVELS = ["contacted", "signed", "won"]
volumes = {level: metrics.development_volume(log, level=level, period=period) for level in LEVELS}

target = coaching.period_target(team_targets, start=start, end=end)
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
team_funnel = metrics.funnel(log)
company_funnel = metrics.funnel(company)
display(charts.funnel(team_funnel, lang=lang))
steps = team_funnel[["level", "from_previous"]].merge(
    company_funnel[["level", "from_previous"]], on="level", suffixes=("_team", "_company"))
steps = steps.dropna()
table = pd.DataFrame({
    TEXT["step"]: [coaching.Bottleneck(level, 0, 0, 0).step_name(lang) for level in steps["level"]],
    TEXT["team_rate"]: [f"{rate:.1%}" for rate in steps["from_previous_team"]],
    TEXT["company_rate"]: [f"{rate:.1%}" for rate in steps["from_previous_company"]],
})
team_win, company_win = metrics.win_rate(log), metrics.win_rate(company)
table.loc[len(table)] = [TEXT["win_rate"], f"{team_win['rate'].iloc[0]:.1%}", f"{company_win['rate'].iloc[0]:.1%}"]
display(table.set_index(TEXT["step"]))

# %%
heading(TEXT["board"])
won = metrics.development_volume(log, level="won", period=period, by="rep")
board = won[won["period"] == start][["rep", "volume"]]
board = pd.DataFrame({"rep": reps}).merge(board, on="rep", how="left").fillna({"volume": 0})
board["volume"] = board["volume"].astype("int64")
if team_targets is not None:
    attained = targets.attainment(log, team_targets, period=period, by="rep")
    attained = attained[attained["period"] == start][["rep", "target"]]
    board = board.merge(attained, on="rep", how="left")
display(charts.leaderboard(board, lang=lang))

# %%
heading(TEXT["stalled"].format(days=stalled_days))
stalled = stalled_customers(company, as_of=day + pd.Timedelta(days=1), idle_days=stalled_days, team=team)
stalled = stalled[stalled["stage"] == "signed"]
if stalled.empty:
    paragraph(TEXT["none_stalled"])
else:
    shown = stalled.head(15)
    display(pd.DataFrame({
        TEXT["customer"]: shown["customer"], TEXT["rep"]: shown["rep"],
        TEXT["last"]: shown["last_date"].dt.strftime("%Y-%m-%d"), TEXT["idle"]: shown["idle_days"],
    }).set_index(TEXT["customer"]))
    if len(stalled) > len(shown):
        paragraph(TEXT["more"].format(n=len(stalled) - len(shown)))

# %%
heading(TEXT["advice"])
bottleneck = coaching.find_bottleneck(team_funnel, company_funnel, reps=len(reps),
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
