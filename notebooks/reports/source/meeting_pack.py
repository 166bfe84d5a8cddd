# %% [markdown] tags=["remove_cell"]
# # 团队周会材料（模板）
#
# 讲师或团队经理用 `devvolume report SOURCE --by team --kind meeting --out DIR` 为每个团队生成周会材料。
# 材料回顾报告日期之前**最后一个完整的周**（周一到周日），和它前面完整的一周比；还没过完的本周只单独列出、
# 注明未过完，不和整周比。材料按一份计时议程排列：数字、管道、停滞客户、上周的承诺、本周做得好的、本周的承诺。
# 每个团队的承诺表（`meeting_<团队>.commitments.csv`）写在材料旁边：第一次生成时写入空白行，之后只在末尾添加新一周的
# 空白行，从不改写经理填过的内容；下周生成时，上周的承诺会带着“完成”一列出现在材料里。报告的文字由代码按 `lang` 生成。

# %%
from html import escape

import pandas as pd
from IPython.display import HTML, display

import devvolume as dv

# %% tags=["parameters"]
source: str = "directsales"  # 数据：数据集名称，或工作日志表文件（.xlsx / .csv）的路径
team: str = "华东一组"  # 团队名称，与工作日志表“团队”列一致
as_of: str = ""  # 报告日期 YYYY-MM-DD：回顾它之前最后一个完整的周（周一到周日），之后的记录不计；留空表示数据中的最后一天
stalled_days: int = 14  # 意向或签约客户多少天没有任何活动算“停滞”
close_after_days: int = 90  # 停滞客户多少天没人联系，就建议记为流失、不再排进电话名单
commitments: str = ""  # 承诺表（.csv）的路径：读上周的承诺，为下一周添加空白行；留空则不读不写（批量生成时自动放在材料旁边）
skip_invalid: bool = False  # 工作日志表有问题的行：True 跳过（材料会注明跳过了多少行），False 拒绝生成
targets: str = ""  # 目标表文件（.xlsx / .csv）：有目标时显示本月进度；留空则用数据集自带的目标（如有）
lang: str = "zh"  # 材料语言：zh 中文，en 英文

# %%
dv.viz.setup(warn=False)
TEXT = {
    "zh": {
        "title": "{team} · 周会材料",
        "meta": "回顾的一周：{week}（周一到周日，完整的一周），和前一周 {before} 整周比较。数据截至 {day}。",
        "running": "本周 {running} 还没过完（{days} 天），只单独列出，不和整周比较。",
        "agenda": "会议议程（共 {minutes} 分钟）",
        "numbers": "一、数字", "week_table": "表：全团队，{week}与前一周 {before}（两边都是完整的 7 天）。",
        "measure": "指标", "this": "回顾的一周", "last": "前一周", "delta": "变化",
        "contacted": "新接触客户", "won": "新成交客户", "activity": "活动次数", "rep": "销售员",
        "unfair": "前一周的数据不完整（这个团队的数据从 {start} 才开始），两周不能公平比较，这里只列回顾的一周。",
        "running_head": "本周至今（未过完）", "running_table": "表：本周 {running}，{days} 天，还没过完，不和整周比较。",
        "pace": "本月进度", "reps": "每位销售员", "reps_table": "表：每位销售员，{week}与前一周。",
        "chart": "新接触客户（按销售员，{span}）",
        "pipeline": "二、管道：各阶段的客户",
        "pipeline_table": "表：截至 {day}，既没成交也没流失的客户，按目前到达的阶段；每位客户记在把他推进到这一步的团队名下。",
        "stage": "阶段", "customers": "客户数", "deals": "在谈商机数", "valued": "有金额的客户", "value": "金额（元）",
        "no_value": "在谈客户所在阶段的记录都没有金额（这份日志的金额只记在成交行上），所以这里不列金额。",
        "stalled": "三、停滞客户",
        "calls": "先打电话：已到意向或签约、{days} 天以上没人联系的客户，阶段靠后、最近还联系过的排在前面。",
        "none_stalled": "截至 {day} 没有需要打电话的停滞客户。",
        "customer": "客户", "last_date": "最后活动", "idle": "停滞天数", "more": "另有 {n} 个未列出。",
        "close": "建议记为流失：{n} 个客户已经 {days} 天以上没人联系。与其排在电话名单最前面，不如确认后在工作日志里记一行“流失”。",
        "promised": "四、上周的承诺", "promise": "承诺", "done": "完成",
        "promised_table": "表：上周（{week}）会上定下的承诺；“完成”一列在会上逐条打勾（是 / 否）。",
        "no_file": "这份材料没有连接承诺表，所以没有上周的承诺可看。批量生成（devvolume report --kind meeting）时，"
                   "每个团队的承诺表会放在材料旁边。",
        "no_promise": "承诺表里没有上周（{week}）的承诺。第一次使用时就是这样：本周会上定下的承诺，下周会出现在这里。",
        "unreadable": "承诺表 {file} 读写不了，没有改动它：{problem}",
        "worked": "五、本周做得好的",
        "worked_ask": "请一位同事讲讲怎么做到的，把做法写下来，下周大家试一试：",
        "worked_none": "这一周没有哪个人的数字明显变好（一周的数字很小，大多是偶然）。请大家各说一件做得好的事：",
        "blank": "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿",
        "commit": "六、本周的承诺",
        "commit_file": "每人一到两条：谁、在哪天之前、做什么。会上填进承诺表 {file} 里“周”为 {week} 的行；"
                       "下周生成材料时，它们会出现在“上周的承诺”里，逐条打勾。",
        "commit_created": "承诺表是这次新建的。", "commit_appended": "已在承诺表末尾为这一周添加了空白行，原有内容没有改动。",
        "commit_kept": "承诺表里已经有这一周的行，没有改动。",
        "commit_none": "每人一到两条：谁、在哪天之前、做什么。这份材料没有连接承诺表，请把下表打印出来在会上填写。",
        "coach": "与其他团队相比（按各团队内部销售员之间的正常差异来判断；漏斗、赢单率、成交周期按全部记录，每人每周的数字按近 {days} 天在岗的天数）：",
        "stalled_n": "停滞客户",
    },
    "en": {
        "title": "{team} · Weekly meeting pack",
        "meta": "Week under review: {week} (Monday to Sunday, a whole week), against the whole week before, "
                "{before}. Data to {day}.",
        "running": "This week, {running}, is not over ({days} days): shown on its own, never compared with a whole week.",
        "agenda": "Agenda ({minutes} minutes)",
        "numbers": "1. Numbers", "week_table": "Table: the whole team, {week} against the week before, {before} (7 days each).",
        "measure": "Measure", "this": "Week reviewed", "last": "Week before", "delta": "Change",
        "contacted": "New customers contacted", "won": "New customers won", "activity": "Activities", "rep": "Rep",
        "unfair": "The data of the week before are incomplete (this team's data start on {start}): the two weeks "
                  "cannot be compared fairly, so only the week reviewed is shown.",
        "running_head": "This week so far (not over)",
        "running_table": "Table: this week, {running}, {days} days, not over; not compared with a whole week.",
        "pace": "The month's pace", "reps": "Each rep", "reps_table": "Table: each rep, {week} against the week before.",
        "chart": "New customers contacted, by rep ({span})",
        "pipeline": "2. Pipeline by stage",
        "pipeline_table": "Table: on {day}, customers neither won nor lost, by the stage they have reached; each is "
                          "credited to the team that brought it there.",
        "stage": "Stage", "customers": "Customers", "deals": "Open deals", "valued": "Customers with an amount",
        "value": "Amount",
        "no_value": "No row that set an open customer's stage carries an amount (this log has amounts on won "
                    "rows only), so no amounts are shown.",
        "stalled": "3. Stalled customers",
        "calls": "Call first: customers qualified or signed, with no contact for {days}+ days; later stages and the "
                 "most recently active first.",
        "none_stalled": "No stalled customers to call on {day}.",
        "customer": "Customer", "last_date": "Last activity", "idle": "Days idle", "more": "{n} more not listed.",
        "close": "Suggest closing as lost: {n} customers have had no contact for {days}+ days. Rather than top the "
                 "call list, confirm and log a 'lost' row.",
        "promised": "4. Last week's commitments", "promise": "Commitment", "done": "Done",
        "promised_table": "Table: the commitments made for last week ({week}); tick the Done column in the meeting.",
        "no_file": "This pack has no commitments file, so there are no commitments to review. A batch "
                   "(devvolume report --kind meeting) keeps each team's file beside its pack.",
        "no_promise": "The commitments file has none for last week ({week}). That is how it starts: this "
                      "week's commitments show here next week.",
        "unreadable": "The commitments file {file} could not be read or written, and was left as it is: {problem}",
        "worked": "5. What worked",
        "worked_ask": "Ask one colleague how they did it, write it down, and let everyone try it next week:",
        "worked_none": "Nobody's numbers rose clearly this week (one week's numbers are small, mostly chance). "
                       "Ask everyone for one thing that went well:",
        "blank": "____________________",
        "commit": "6. This week's commitments",
        "commit_file": "One or two each: who, by when, what. Fill them into {file}, in the rows for week {week}; "
                       "next week's pack shows them under last week's commitments, to tick.",
        "commit_created": "The commitments file was created now.",
        "commit_appended": "Blank rows for this week were added at the end of the file; nothing else was changed.",
        "commit_kept": "The file already has rows for this week; it was not changed.",
        "commit_none": "One or two each: who, by when, what. This pack has no commitments file: print the table "
                       "below and fill it in during the meeting.",
        "coach": "Against the other teams (judged against the usual spread between reps within teams; funnel, win "
                 "rate and cycle over every record; weekly figures over the last {days} days, per day at work):",
        "stalled_n": "Stalled",
    },
}[lang]


# Every figure below is a slice (this team's rows) of a company-wide core result, computed once
# for all the packs of a batch (company.result). The week under review is the last complete one.
company = dv.report.load_company(source, as_of=as_of, skip_invalid=skip_invalid, targets=targets)
company.check("team", team)
day, reached = company.day, company.reached
weeks = dv.report.meeting_weeks(day)
week, before = weeks.review.current, weeks.review.previous
fair = dv.report.coverage_start(company, "contacted", team=team) <= before.first
review = dv.report.weekly_review(company, as_of=week.last, team=team)
reps = review[review["rep"] != dv.report.TOTAL].drop(columns=["team"])
spans = {"week": dv.report.span_text(week, lang=lang), "before": dv.report.span_text(before, lang=lang)}

dv.viz.heading(TEXT["title"].format(team=team), 1)
dv.viz.paragraph(TEXT["meta"].format(day=day, **spans))
if weeks.running is not None:
    dv.viz.paragraph(TEXT["running"].format(running=dv.report.span_text(weeks.running, lang=lang),
                                            days=weeks.running.days))
if company.skipped is not None:
    dv.report.notice(company.skipped.notice(lang))
agenda = dv.report.agenda_table(lang=lang)
dv.viz.heading(TEXT["agenda"].format(minutes=int(agenda.iloc[:, 1].sum())))
display(agenda.set_index(agenda.columns[0]))

# %%
dv.viz.heading(TEXT["numbers"])
MEASURES = {"新接触": "contacted", "新成交": "won", "活动": "activity"}
total = review[review["rep"] == dv.report.TOTAL].iloc[0]
numbers = pd.DataFrame({TEXT["measure"]: [TEXT[key] for key in MEASURES.values()],
                        TEXT["this"]: [int(total[f"{zh}_本周"]) for zh in MEASURES]})
if fair:
    numbers[TEXT["last"]] = [int(total[f"{zh}_上周"]) for zh in MEASURES]
    numbers[TEXT["delta"]] = [int(total[f"{zh}_变化"]) for zh in MEASURES]
    dv.report.caption(TEXT["week_table"].format(**spans))
else:
    dv.report.notice(TEXT["unfair"].format(start=dv.report.coverage_start(company, "contacted", team=team)))
display(numbers.set_index(TEXT["measure"]))
if fair:
    change = dv.compare_periods(reached, before=before, after=week, metric="volume", level="contacted",
                                where={"team": team})
    dv.viz.paragraph(change.message if lang == "zh" else
                     f"New customers contacted: {change.before[0]} in the week before, {change.after[0]} in the week "
                     f"reviewed ({dv.p_text(change.p_value)}); "
                     + ("a clear change." if change.significant else "possibly just chance."))

if weeks.running is not None:
    running = dv.report.weekly_review(company, team=team)  # the running week up to the report day
    so_far = running[running["rep"] == dv.report.TOTAL].iloc[0]
    dv.viz.heading(TEXT["running_head"], 3)
    dv.report.caption(TEXT["running_table"].format(running=dv.report.span_text(weeks.running, lang=lang),
                                                   days=weeks.running.days))
    display(pd.DataFrame({TEXT["measure"]: [TEXT[key] for key in MEASURES.values()],
                          TEXT["running_head"]: [int(so_far[f"{zh}_本周"]) for zh in MEASURES]}
                         ).set_index(TEXT["measure"]))

dv.viz.heading(TEXT["pace"], 3)
for sentence in dv.report.month_pace(company, team=team).text(lang=lang):
    dv.viz.paragraph(sentence)

# %%
dv.viz.heading(TEXT["reps"], 3)
table = reps.set_index("rep").rename_axis(TEXT["rep"])
kept = [column for column in table.columns if fair or column.endswith("_本周")]
table = table[kept]
table.columns = pd.MultiIndex.from_tuples(
    [(TEXT[MEASURES[zh]], {"本周": TEXT["this"], "上周": TEXT["last"], "变化": TEXT["delta"]}[when])
     for zh, when in (column.split("_") for column in table.columns)])
dv.report.caption(TEXT["reps_table"].format(**spans))
display(table)
display(dv.report.leaderboard_chart(reps[["rep"]].assign(volume=reps["新接触_本周"]), window=week, lang=lang,
                                    measure=TEXT["contacted"], title=TEXT["chart"].format(span=spans["week"])))
changes = dv.report.rep_changes(reached, weeks.review, team=team, reps=reps["rep"].tolist())
points = dv.report.rep_points(changes, lang=lang) if fair else [dv.report.NOISE_WARNING[lang]]
display(HTML("<ol>" + "".join(f"<li>{escape(point)}</li>" for point in points) + "</ol>"))

# %%
dv.viz.heading(TEXT["pipeline"])
stages = dv.report.pipeline(company, team=team)
shown = pd.DataFrame({TEXT["stage"]: [dv.viz.label(level, lang) for level in stages["level"]],
                      TEXT["customers"]: stages["customers"]})
if "open_deals" in stages:
    shown[TEXT["deals"]] = stages["open_deals"]
if "valued" in stages:
    shown[TEXT["valued"]] = stages["valued"]
    shown[TEXT["value"]] = [f"{value:,.0f}" for value in stages["value"]]
dv.report.caption(TEXT["pipeline_table"].format(day=day))
display(shown.set_index(TEXT["stage"]))
if company.has_amounts and "valued" not in stages:
    dv.viz.paragraph(TEXT["no_value"])

# %%
dv.viz.heading(TEXT["stalled"])
calls = dv.report.call_list(company, idle_days=stalled_days, close_after_days=close_after_days, team=team)


def customers_table(rows):
    """The stalled customers as the page lists them."""
    return pd.DataFrame({
        TEXT["customer"]: rows["customer"], TEXT["rep"]: rows["rep"],
        TEXT["stage"]: [dv.viz.label(level, lang) for level in rows["level"]],
        TEXT["last_date"]: rows["last_date"].dt.strftime("%Y-%m-%d"), TEXT["idle"]: rows["idle_days"],
    }).set_index(TEXT["customer"])


if calls.call.empty:
    dv.viz.paragraph(TEXT["none_stalled"].format(day=day))
else:
    dv.report.caption(TEXT["calls"].format(days=stalled_days))
    display(customers_table(calls.call.head(15)))
    if len(calls.call) > 15:
        dv.viz.paragraph(TEXT["more"].format(n=len(calls.call) - 15))
if not calls.close.empty:
    dv.report.caption(TEXT["close"].format(n=len(calls.close), days=close_after_days))
    display(customers_table(calls.close.head(15)))
    if len(calls.close) > 15:
        dv.viz.paragraph(TEXT["more"].format(n=len(calls.close) - 15))

# %%
dv.viz.heading(TEXT["promised"])
promises = dv.report.meeting_commitments(commitments, reviewed=week.first, coming=weeks.coming,
                                         reps=reps["rep"].astype(str).tolist())
file_name = promises.path.name if promises.path is not None else ""
if promises.status == "unreadable":
    dv.report.notice(TEXT["unreadable"].format(file=file_name, problem=promises.problem))
elif promises.status == "none":
    dv.viz.paragraph(TEXT["no_file"])
if promises.status in {"created", "kept", "appended"} and promises.reviewed.empty:
    dv.viz.paragraph(TEXT["no_promise"].format(week=week.first))
elif not promises.reviewed.empty:
    dv.report.caption(TEXT["promised_table"].format(week=week.first))
    display(pd.DataFrame({
        TEXT["rep"]: promises.reviewed["销售员"], TEXT["promise"]: promises.reviewed["承诺"],
        TEXT["done"]: ["☑" if dv.report.ticked(done) else "☐" for done in promises.reviewed["完成"]],
    }).set_index(TEXT["rep"]))

# %%
dv.viz.heading(TEXT["worked"])
rose = changes[changes["significant"] & (changes["after"] > changes["before"])] if fair else changes.iloc[:0]
worked = dv.report.rep_points(rose, lang=lang)[1:]  # the clear rises, one sentence each
dv.viz.paragraph(TEXT["worked_ask"] if worked else TEXT["worked_none"])
display(HTML("<ol>" + "".join(f"<li>{escape(line)}</li>" for line in [*worked, *[TEXT["blank"]] * 3]) + "</ol>"))

# %%
dv.viz.heading(TEXT["commit"])
if promises.status == "none":
    dv.viz.paragraph(TEXT["commit_none"])
else:
    dv.viz.paragraph(TEXT["commit_file"].format(file=file_name, week=weeks.coming) + " "
                     + TEXT.get(f"commit_{promises.status}", ""))
display(pd.DataFrame({TEXT["rep"]: promises.coming["销售员"], TEXT["promise"]: promises.coming["承诺"],
                      TEXT["done"]: promises.coming["完成"]}).set_index(TEXT["rep"]))

# %%
evidence = dv.report.gather(company, who="team", name=team, period="W", stalled_days=stalled_days,
                            volumes=dv.report.period_figures(company, period="W", team=team).volumes)
coaching = dv.report.coach(evidence, lang=lang, period="W", stalled_days=stalled_days)
dv.viz.paragraph(TEXT["coach"].format(days=dv.report.EVIDENCE_DAYS))
display(HTML(coaching.html(lang=lang)))

dv.report.publish_summary(dv.report.week_summary(company, week, team=team),
                          evidence=dv.report.evidence_rows(evidence), **{
    TEXT["contacted"]: int(total["新接触_本周"]), TEXT["won"]: int(total["新成交_本周"]),
    TEXT["activity"]: int(total["活动_本周"]), TEXT["stalled_n"]: len(calls.call) + len(calls.close),
})
