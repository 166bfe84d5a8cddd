# %% [markdown] tags=["remove_cell"]
# # 销售员个人客户开发量报告（模板）
#
# 讲师用 `devvolume report SOURCE --by rep --out DIR` 为每位销售员运行本笔记本，导出为不含代码的 HTML。
# 同事的姓名默认隐去（同事A、同事B……）。报告的文字由代码按 `lang` 生成。
# 每个数字都在全公司的日志上算一次（截至报告日期），再取本人、本团队的那几行，不在个人的行上重新数。

# %%
from html import escape

import pandas as pd
from IPython.display import HTML, display

import devvolume as dv

# %% tags=["parameters"]
source: str = "directsales"  # 数据：数据集名称，或工作日志表文件（.xlsx / .csv）的路径
rep: str = "陈静"  # 销售员姓名，与工作日志表“销售员”列一致
period: str = "M"  # 统计周期：W 周、M 月、Q 季度、Y 年
as_of: str = ""  # 报告日期 YYYY-MM-DD（之后的记录不计）；留空表示数据中的最后一天
stalled_days: int = 14  # 签约客户多少天没有任何活动算“停滞”
anonymise: bool = True  # 是否隐去同事姓名（同事A、同事B……）
lang: str = "zh"  # 报告语言：zh 中文，en 英文

# %%
dv.viz.setup(warn=False)
TEXT = {
    "zh": {
        "title": "{rep} · 个人客户开发量报告", "meta": "{team} · 数据截至 {day} · 本期 {start} 至 {end}",
        "volume": "一、本期开发量与目标", "trend": "二、趋势与本期预测", "funnel": "三、我的漏斗：与团队、全公司对比",
        "board": "四、团队排行（{which}成交）", "stalled": "五、我的停滞签约客户（{days} 天以上无活动）",
        "advice": "六、我的瓶颈与下一步", "change": "七、最近的变化是否显著",
        "level": "阶段", "delta": "变化", "target": "目标", "attain": "达成率",
        "mine": "我", "team_rate": "团队", "company_rate": "全公司", "step": "环节",
        "win_rate": "赢单率（成交 ÷ 成交与流失）", "no_target": "本期没有目标数据。",
        "partial": "最后一期到 {day} 为止，还没有结束，比整期低是正常的。",
        "cohort": "漏斗按首次接触归属：我首次接触的客户为一批，之后由谁推进都算，所以能与团队、全公司直接比较。",
        "customer": "客户", "last": "最后活动", "idle": "停滞天数", "none_stalled": "没有停滞的签约客户。",
        "more": "另有 {n} 个未列出。", "rank": "{which}在团队 {n} 人中排第 {rank} 名。",
        "bottleneck": "瓶颈在“{step}”：我 {rate}，全公司 {company}。", "what": "新成交客户",
        "won": "成交", "forecast": "预测", "stalled_n": "停滞客户", "bottleneck_short": "瓶颈",
    },
    "en": {
        "title": "{rep} · Personal development report", "meta": "{team} · data to {day} · period {start} to {end}",
        "volume": "1. Development volume against target", "trend": "2. Trend and forecast",
        "funnel": "3. My funnel against the team and the company", "board": "4. Team ranking (won, {which})",
        "stalled": "5. My stalled signed customers (no activity for {days}+ days)",
        "advice": "6. My bottleneck and next steps", "change": "7. Is the latest change significant?",
        "level": "Stage", "delta": "Change", "target": "Target", "attain": "Attainment",
        "mine": "Me", "team_rate": "Team", "company_rate": "Company", "step": "Step",
        "win_rate": "Win rate (won ÷ won and lost)", "no_target": "No targets for this period.",
        "partial": "The last period runs only to {day}, so it is lower than a whole one.",
        "cohort": "The funnel follows first contacts: the customers I contacted first, moved on by anyone, "
                  "so it compares directly with the team's and the company's.",
        "customer": "Customer", "last": "Last activity", "idle": "Days idle",
        "none_stalled": "No stalled signed customers.", "more": "{n} more not listed.",
        "rank": "Rank {rank} of {n} in the team ({which}).",
        "bottleneck": "The bottleneck is {step}: me {rate}, company {company}.", "what": "new customers won",
        "won": "Won", "forecast": "Forecast", "stalled_n": "Stalled", "bottleneck_short": "Bottleneck",
    },
}[lang]

# The whole company's log up to the report day, and its reached levels, computed once:
# every figure below is a slice (my rows, my team's rows) of a company-wide result.
company = dv.report.load_company(source, as_of=as_of)
company.check("rep", rep)
day, reached = company.day, company.reached
team = dv.report.home_team(company, rep)
reps = dv.report.roster(company, team)
target = dv.report.period_target(company.targets, day=day, period=period, rep=rep)
figures = dv.report.period_figures(company, period=period, target=target, rep=rep)
window = figures.comparison.period
now_label, _ = dv.report.window_labels(figures.comparison, period=period, lang=lang)
which = now_label if lang == "zh" else now_label.lower()  # "本期至今" / "this period so far"

dv.viz.heading(TEXT["title"].format(rep=rep), 1)
dv.viz.paragraph(TEXT["meta"].format(team=team, day=day, start=window.first, end=window.last))

# %%
dv.viz.heading(TEXT["volume"])
dv.viz.paragraph(dv.report.describe_comparison(figures.comparison, period=period, lang=lang))
display(dv.report.volume_table(figures, text=TEXT, lang=lang))
if target is None:
    dv.viz.paragraph(TEXT["no_target"])

# %%
dv.viz.heading(TEXT["trend"])
SHOWN = ["contacted", "signed", "won"]
trend = figures.volumes[figures.volumes["level"].isin(SHOWN)]
trend = trend[trend["period"] >= pd.Timestamp(dv.period_window(day, period, back=11).first)]
trend = trend.assign(level=[dv.viz.label(level, lang) for level in trend["level"]])
display(dv.viz.volume_trend(trend, period=period, by="level", lang=lang))
if figures.comparison.partial:
    dv.viz.paragraph(TEXT["partial"].format(day=day))
dv.viz.paragraph(dv.report.outlook_text(figures, lang=lang))

# %%
dv.viz.heading(TEXT["funnel"])
funnels = {
    TEXT["mine"]: dv.report.pick(dv.funnel(reached, by="rep"), rep=rep),
    TEXT["team_rate"]: dv.report.pick(dv.funnel(reached, by="team"), team=team),
    TEXT["company_rate"]: dv.funnel(reached),
}
win_rates = {
    TEXT["mine"]: dv.report.pick(dv.win_rate(reached, by="rep"), rep=rep)["win_rate"].sum(min_count=1),
    TEXT["team_rate"]: dv.report.pick(dv.win_rate(reached, by="team"), team=team)["win_rate"].sum(min_count=1),
    TEXT["company_rate"]: dv.win_rate(reached)["win_rate"].iloc[0],
}
display(dv.viz.funnel(funnels[TEXT["mine"]], lang=lang))
display(dv.report.step_table(funnels, win_rates, step=TEXT["step"], win_rate=TEXT["win_rate"], lang=lang))
dv.viz.paragraph(TEXT["cohort"])

# %%
dv.viz.heading(TEXT["board"].format(which=which))
names = dv.report.anonymise(reps, keep=rep, lang=lang) if anonymise else {}
won = dv.development_volume(reached, level="won", period=period, by=["team", "rep"])
credited = dv.report.pick(won, team=team, period=window.first)[["rep", "volume"]]
board = pd.DataFrame({"rep": reps}).merge(credited, on="rep", how="left").fillna({"volume": 0})
board["volume"] = board["volume"].astype("int64")
if company.targets is not None and period != "W":
    board["target"] = pd.Series(
        [dv.report.period_target(company.targets, day=day, period=period, team=team, rep=name) for name in reps],
        dtype="float64")
mine = int(board.loc[board["rep"] == rep, "volume"].sum())
rank = int((board["volume"] > mine).sum()) + 1
board["rep"] = board["rep"].map(lambda name: names.get(name, name))
display(dv.viz.leaderboard(board, lang=lang))
dv.viz.paragraph(TEXT["rank"].format(n=len(board), rank=rank, which=which))

# %%
dv.viz.heading(TEXT["stalled"].format(days=stalled_days))
stalled = dv.stalled_customers(reached, as_of=day, idle_days=stalled_days)
stalled = dv.report.pick(stalled, rep=rep, level="signed")
if stalled.empty:
    dv.viz.paragraph(TEXT["none_stalled"])
else:
    shown = stalled.head(15)
    display(pd.DataFrame({
        TEXT["customer"]: shown["customer"], TEXT["last"]: shown["last_date"].dt.strftime("%Y-%m-%d"),
        TEXT["idle"]: shown["idle_days"],
    }).set_index(TEXT["customer"]))
    if len(stalled) > len(shown):
        dv.viz.paragraph(TEXT["more"].format(n=len(stalled) - len(shown)))

# %%
dv.viz.heading(TEXT["advice"])
bottleneck = dv.report.find_bottleneck(funnels[TEXT["mine"]], funnels[TEXT["company_rate"]], reps=1,
                                       company_reps=company.log["rep"].nunique())
if bottleneck.level == "contacted":
    rate, company_rate = f"{bottleneck.rate:.0f}", f"{bottleneck.company_rate:.0f}"
else:
    rate, company_rate = f"{bottleneck.rate:.1%}", f"{bottleneck.company_rate:.1%}"
dv.viz.paragraph(TEXT["bottleneck"].format(step=bottleneck.step_name(lang), rate=rate, company=company_rate))
best_channel = dv.report.best_channel(company, rep=rep)
advice = dv.report.recommendations(bottleneck, best_channel=best_channel, stalled=len(stalled), lang=lang)
colon = "：" if lang == "zh" else ": "
display(HTML("<ul>" + "".join(f"<li><b>{escape(s)}</b>{colon}{escape(a)}</li>" for s, a in advice) + "</ul>"))

# %%
dv.viz.heading(TEXT["change"])
dv.viz.paragraph(dv.report.describe_comparison(figures.comparison, period=period, lang=lang))
dv.viz.paragraph(dv.report.change_text(figures.changes["won"], what=TEXT["what"], lang=lang))

attainment = figures.attainment
dv.report.publish_summary(figures.summary(), **{
    TEXT["won"]: figures.now["won"], TEXT["target"]: target,
    TEXT["attain"]: None if attainment is None else f"{attainment:.0%}",
    TEXT["forecast"]: None if figures.outlook is None else round(figures.outlook.projected, 1),
    TEXT["stalled_n"]: len(stalled), TEXT["bottleneck_short"]: bottleneck.step_name(lang),
})
