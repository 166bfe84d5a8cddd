# %% [markdown] tags=["dv-run-first"]
# > **先运行，再阅读。** 打开时看到的表格和图，是用课程自带的案例数据、按默认参数事先算好的示例；
# > 小工具（下拉框、滑块、“加载”按钮）要运行以后才会出现。请先点菜单 **运行 → 运行全部单元格**
# > （Run → Run All Cells），再从上往下读。改了参数、载入了你自己的工作日志表，下面的数字才会跟着变。

# %% [markdown]
# # 第六课 把客户开发量用到团队管理里：工作日志、周会、目标与激励
#
# 前五课讲的是“怎么算、怎么看、怎么提升”。这一课回到管理者每天、每周、每月都在做的三件事：
#
# 1. **工作日志**：让每个销售员把每一次客户活动记下来。没有记录，就没有开发量。
# 2. **周会**：每周用同一套口径回顾——本周开发了多少新客户、和上周比怎样、哪些客户卡住了。
# 3. **目标与激励**：给每个人一个清楚的新客户目标，用奖金方案鼓励多开发、超额开发。
#
# **学完这一课，你能够：**
#
# - 用 `devvolume template` 生成一张空白的工作日志表，用 `devvolume validate` 检查团队交上来的表；
# - 用工作日志自动做出一份周会材料：最后一个完整的周与前一周的对比、管道、先打电话的停滞客户、上周和本周的承诺；
# - 用“实际总数 ÷ 目标总数”计算团队达成率，并说明为什么不能把个人达成率直接平均；
# - 调整每个客户的奖金和超额加速倍数，看每个人拿多少、公司总共花多少、每个新客户的激励成本是多少。

# %% tags=["parameters"]
dataset: str = "directsales"  # 案例数据集 directsales / fmcg / software，或你自己的工作日志表的路径（.xlsx / .csv / .parquet）
team: str = "华东二组"  # 团队名称，空字符串表示全公司
period: str = "M"  # 目标与激励的统计周期：M 月（案例的目标按月制定）
meeting_week: str = "2025-06-09"  # 周会回顾的那一周（填这一周里的任意一天）

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import display as show

import devvolume as dv

dv.viz.setup()
data = dv.teach.lesson_data(dataset, team)  # 案例数据集，或你自己的工作日志表（只用没有问题的行）
log = data.worklog  # 全公司的日志；选了团队时，团队的数字从全公司的结果里挑出来
scope = data.scope
data.banner()  # 用你自己的数据时：说明数据是谁的、跳过了哪些行

# %% [markdown]
# ## 1. 工作日志表：一切数字的来源
#
# 工作日志表的规则很简单：**每做一次客户活动，就记一行**。一行里至少要有五样东西：
#
# | 列 | 填什么 | 常见问题 |
# |---|---|---|
# | 日期 | 活动那天的日期 | 写成“上周三”、写错月份的天数（如 2 月 30 日） |
# | 销售员 | 谁做的 | 同一个人有时写全名、有时写昵称 |
# | 团队 | 哪个组 | 调组后忘了改 |
# | 客户 | 客户名称 | 同一客户写法不一致（“恒达”和“恒达公司”会被当成两个客户） |
# | 阶段 | 这次活动后客户到了哪一步：首次接触 / 意向 / 签约 / 成交 / 流失 | 自创阶段名，如“谈判中” |
#
# 渠道、活动类型、金额、备注是选填的，但填了之后就能回答更多问题（哪个渠道来的客户最好？跑了几次才成交？）。
#
# 课程提供两个命令。在命令行（终端）里输入：
#
# ```
# devvolume template 工作日志表.xlsx      # 生成一张带下拉菜单的空白表
# devvolume validate 三月工作日志.xlsx    # 检查一张填好的表，列出有问题的行号
# ```
#
# 这两个命令背后是两个函数：`dv.inputs.write_template` 和 `dv.check_worklog`。下面在一个临时文件夹里用这两个函数走一遍，
# 结果和在终端里输入命令一样。

# %%
with tempfile.TemporaryDirectory() as folder:
    blank = dv.inputs.write_template(Path(folder) / "工作日志表.xlsx")  # 带下拉菜单的空白表
    print("已生成空白表：", blank.name)
    # 一份“交上来的”日志：第 3 行日期不存在，第 4 行阶段写了表里没有的词
    sample = pd.DataFrame({
        "日期": ["2025-06-09", "2025-02-30", "2025-06-10", "2025-06-11"],
        "销售员": ["陈静", "陈静", "潘鹏", "潘鹏"],
        "团队": ["华东一组"] * 4,
        "客户": ["南京博远包装有限公司", "杭州信诚贸易有限公司", "苏州恒达科技有限公司", "南京博远包装有限公司"],
        "阶段": ["首次接触", "意向", "谈判中", "意向"],
    })
    sample.to_csv(Path(folder) / "六月工作日志.csv", index=False)
    checked = dv.check_worklog(Path(folder) / "六月工作日志.csv")
print(f"没有问题的行：{len(checked.valid)} 行；有问题的行：")
checked.problems.rename(columns={"row": "行号", "column": "列", "header": "表头", "value": "填的内容", "problem": "问题"})

# %% [markdown]
# 检查结果里的**行号**就是在 Excel 里看到的行号（表头是第 1 行），照着改就行。
# 建议每周五下班前让大家自查一次，周会前再由管理者汇总检查一次。

# %% [markdown]
# ## 2. 周会：用日志做一页周会材料
#
# 周会最怕两件事：一是各说各的数字（有人报“拜访了 30 家”，有人报“跟进了 10 个客户”），
# 二是只报喜不报忧。用工作日志统一口径，就能把周会聚焦在三个问题上：
#
# 1. **本周新开发了多少客户，比上周多还是少？**（新接触、新成交都只数第一次）
# 2. **每个人的情况怎样？** 活动多但没有新客户的人，可能需要辅导；新客户多的人，可以请他分享方法。
# 3. **哪些客户卡住了？** 已经有意向、甚至签了约，却很久没人跟进的客户，最值得在会上逐个过一遍。
#
# 一周从**周一**开始、到周日结束。周会在下周一开，回顾的是**最后一个过完了的周**，和它前面完整的一周比，两边都是完整的 7 天。
# 还没过完的本周（比如日志停在周三）只单独看几天的数字，不拿来和整周比。
#
# 下面用的函数，就是 `devvolume report --kind meeting` 生成周会材料时用的同一批（`dv.report` 里）：先把全公司的日志读一次
# （`load_company`），再从全公司的结果里挑出所选团队、每位销售员的那部分。

# %%
first_day, last_day = log["date"].min(), log["date"].max()
sunday = dv.period_window(meeting_week, "W").last  # 参数里那一周的周日
meeting_day = sunday if first_day <= pd.Timestamp(sunday) <= last_day else last_day.date()
company = dv.report.load_company(log, as_of=meeting_day)  # 全公司截至那一天的日志，只读一次
where = {"team": team} if team else {}  # 选了团队：只看这个团队的那部分
weeks = dv.report.meeting_weeks(company.day)  # 最后一个过完了的周，和它前面的一周
this_week = weeks.review.current
review = dv.report.weekly_review(company, as_of=this_week.last, team=team or None)
print(f"{scope}  回顾的一周：{this_week}   前一周：{weeks.review.previous}")
dv.teach.chinese(review)

# %%
data.note(f"参数里的 {meeting_week} 是案例里的一周。" + (
    f"它不在你们日志的日期范围（{first_day:%Y-%m-%d} 至 {last_day:%Y-%m-%d}）里，所以这里按日志的最后一天开会，"
    f"回顾的是最后一个过完了的周：{this_week}，和它前面完整的一周比。" if meeting_day != sunday
    else f"它在你们日志的日期范围里，回顾的就是这一周：{this_week}。"))

# %%
dv.report.review_chart(review, measure="新接触", title=f"{scope}：回顾的一周与前一周的新接触客户")

# %% [markdown]
# 看这张表时，把“活动”和“新接触”放在一起看：活动次数多，新接触却很少，说明时间花在了老客户的反复跟进上；
# 这不一定是坏事，但要和停滞客户名单一起看——是在推进，还是在原地打转？
#
# **一周的数字要小心看。** 每个人一周只有几个新客户，这周 4 个、下周 1 个，很可能只是运气。
# 周会材料在评价每个人之前，先写下这句提醒，然后只点名“变化明显”的人（检验的 p 值很小，不太可能是偶然）：

# %%
reps = review.loc[review["rep"] != dv.report.TOTAL, "rep"].tolist()
changes = dv.report.rep_changes(company.reached, weeks.review, team=team or None, reps=reps)
for point in dv.report.rep_points(changes):
    print("·", point)

# %% [markdown]
# **管道**：截至回顾那一周的最后一天，还没成交也没流失的客户，各停在哪个阶段。一位客户记在把他推进到这一步的团队和销售员名下。

# %%
dv.teach.chinese(dv.report.pipeline(company, **where))

# %% [markdown]
# **停滞客户**：已经进入“意向”或“签约”、既没成交也没流失、并且连续 14 天以上没有任何人跟进过的客户。
# 周会上先打给谁？**阶段靠后、最近还联系过的**排在前面：这样的客户还热，一个电话最可能有结果。
# 反过来，已经 90 天（`dv.report.CLOSE_AS_LOST_DAYS`）以上没人联系的客户，与其排在电话名单最前面，
# 不如确认一下，在工作日志里记一行“流失”，让名单只留下还值得跟的客户。

# %%
calls = dv.report.call_list(company, idle_days=14, **where)
columns = ["customer", "level", "rep", "team", "last_date", "idle_days"]
print(f"截至 {company.day}，{scope}先打电话的停滞客户 {len(calls.call)} 个（前 10 个）：")
show(dv.teach.chinese(calls.call[columns].head(10)))
print(f"超过 {calls.close_after_days} 天没人联系、建议记为流失的 {len(calls.close)} 个（前 5 个）：")
dv.teach.chinese(calls.close[columns].head(5))

# %% [markdown]
# **议程和承诺**：周会材料按一份计时议程排列，45 分钟开完。最后 10 分钟，每人定下一到两条承诺：谁、在哪天之前、做什么。
# 批量生成周会材料时，每个团队旁边有一张承诺表（`meeting_<团队>.commitments.csv`，用 Excel 打开即可）：
# 会上把承诺填进去；下周的材料会把这些承诺列在“上周的承诺”里，带一列“完成”逐条打勾。
# 程序只会在表的末尾为新的一周添加空白行，从不改动你填过的内容。

# %%
show(dv.teach.chinese(dv.report.agenda_table()))
with tempfile.TemporaryDirectory() as folder:  # 演示：第一次生成时，承诺表里是每人一行空白
    promises = dv.report.meeting_commitments(Path(folder) / "commitments.csv", reviewed=this_week.first,
                                             coming=weeks.coming, reps=reps)
print(f"承诺表里“周”为 {weeks.coming} 的空白行（会上填写）：")
promises.coming

# %% [markdown]
# ## 3. 目标与激励
#
# ### 3.1 团队达成率：先加总，再相除
#
# 案例数据里，每个销售员每个月都有一个“新成交客户”目标。达成率 = 实际 ÷ 目标。
# 算**团队**或**全年**的达成率时，正确的做法是把实际数加总、把目标数加总，再相除。
# 在 Excel 里把“每人每月达成率”那一列直接求平均，是最常见的错误：目标只有 1 个的月份，
# 成交 3 个就是 300%，它在平均数里和目标 4 个的月份分量一样，结果就被拉偏了。

# %%
if data.targets is not None:  # 目标表：案例数据里有，你自己的工作日志表里没有
    attained = dv.attainment(log, data.targets, period=period)  # 每人每月：全公司结果里记在他名下的新客户
    goals = data.targets[data.targets["team"] == team] if team else data.targets
    mine = attained[attained["rep"].isin(goals["rep"])]
    pooled = mine["actual"].sum() / mine["target"].sum()
    averaged = mine["attainment"].mean()
    print(f"{scope} 全年达成率（先加总再相除）：{pooled:.1%}")
    print(f"把每人每月的达成率直接平均：{averaged:.1%}  ← 不要这样算，差了 {(averaged - pooled) * 100:+.1f} 个百分点")
    by_rep = mine.groupby("rep", as_index=False)[["target", "actual"]].sum()
    by_rep["attainment"] = by_rep["actual"] / by_rep["target"]
    show(dv.teach.chinese(by_rep.sort_values(["attainment", "rep"], ascending=[False, True],
                                             ignore_index=True).round(3)))
data.skip("3.1 达成率和 3.2 激励方案都要用每人每月的新客户目标。案例数据里有目标表，你们的工作日志表里没有，"
          "所以这两节的表、图和小工具都跳过；下面的文字说的是案例。有了目标表（销售员、团队、月份、目标四列，"
          "devvolume template --targets 目标.xlsx 可以生成空白表），devvolume report --targets 会在团队报告里算达成率。")

# %% [markdown]
# 两种算法差几个百分点，有时就是“达标”和“没达标”的区别。向上汇报、发奖金时，一律用先加总再相除的结果。

# %%
if data.targets is not None:
    show(dv.viz.attainment(by_rep.rename(columns={"actual": "volume"}), title=f"{scope}：每人全年目标达成率"))

# %% [markdown]
# ### 3.2 激励方案：每个新客户的奖金，加上超额加速
#
# 一个常见、也容易讲清楚的方案是：
#
# - 每开发一个新成交客户，奖励一笔固定奖金；
# - 当月超出目标的那部分客户，奖金乘以一个**加速倍数**（例如 1.5 倍），鼓励大家冲过目标线；
# - 按月结算：这个月的超额，不能拿来填补上个月的欠账。
#
# 拖动下面的滑块，看看每个人拿多少、全组一共花多少，以及平均每个新客户的激励成本。

# %%
if data.targets is not None:
    planner = dv.teach.IncentivePlanner(mine, title=f"{scope}：每位销售员的奖金（元）")
    show(planner)

# %% [markdown]
# 滑块背后是函数 `dv.teach.incentive_payouts`。比较几种加速倍数下的总成本：

# %%
if data.targets is not None:
    rows = []
    for accelerator in (1.0, 1.5, 2.0):
        plan = dv.teach.incentive_payouts(mine, per_customer=dv.teach.DEFAULT_BONUS,
                                          accelerator=accelerator)
        rows.append({"加速倍数": accelerator, "奖金总额（元）": plan.total,
                     "新成交客户": plan.new_customers, "每个新客户的激励成本（元）": round(plan.cost_per_customer, 1)})
    show(pd.DataFrame(rows))

# %%
if data.targets is not None:
    default_plan = dv.teach.incentive_payouts(mine, per_customer=dv.teach.DEFAULT_BONUS,
                                              accelerator=dv.teach.DEFAULT_ACCELERATOR)
    print(default_plan.headline)
    show(dv.teach.payout_chart(default_plan, title=f"{scope}：每人全年奖金（每客户 500 元，超额 1.5 倍）"))

# %% [markdown]
# 设计激励方案时，值得在团队里讨论的几个问题：
#
# - **加速倍数越高，越要防止“压单”**：有人会把这个月已经能成的单子推到下个月，凑一个超额月。
#   按季度复核、或者设一个封顶，都是常见的办法。
# - **目标要跟着人走**：新人、调了区域的人，目标要单独定，否则奖金会奖错人。
# - **只奖成交，不奖过程**，可能让大家不愿意开发新渠道。可以给“新接触”“新意向”留一小部分奖金。

# %% [markdown]
# ## 4. 用你自己的数据
#
# 载入你团队的工作日志表（相对路径从启动 JupyterLab 的文件夹算起，左侧文件浏览器里右键文件 → “复制路径”最省事；
# 也可以上传），下面会用日志里**最后一个过完了的周**做出周会材料：每个人这一周与前一周的对比、对每个人的判断，
# 以及截至日志最后一天先打电话的停滞客户。
# 用“团队”下拉框选团队：新客户是整个文件先数好、再记在每个人名下的，停滞客户记在把他推进到目前这一步的人名下。
# 日志如果停在一周的中间（比如周三），这几天只在第一行注明，不拿来和整周比。


# %%
def my_meeting(my_log: pd.DataFrame, my_team: str) -> list:
    """周会材料：日志里最后一个过完了的周对前一周、对每个人的判断，以及先打电话的停滞客户。"""
    my_company = dv.report.load_company(my_log)
    my_weeks = dv.report.meeting_weeks(my_company.day)
    my_review = dv.report.weekly_review(my_company, as_of=my_weeks.review.current.last, team=my_team or None)
    my_reps = my_review.loc[my_review["rep"] != dv.report.TOTAL, "rep"].tolist()
    my_changes = dv.report.rep_changes(my_company.reached, my_weeks.review, team=my_team or None, reps=my_reps)
    my_calls = dv.report.call_list(my_company, idle_days=14, **({"team": my_team} if my_team else {}))
    running = "" if my_weeks.running is None else f"；本周 {my_weeks.running} 还没过完，不和整周比"
    return [f"{my_team or '全部团队'}：回顾 {my_weeks.review.current}，和前一周 {my_weeks.review.previous} 整周比{running}",
            dv.teach.chinese(my_review),
            "\n".join(dv.report.rep_points(my_changes)),
            f"截至 {my_company.day}，先打电话的停滞客户 {len(my_calls.call)} 个，"
            f"超过 {my_calls.close_after_days} 天、建议记为流失的 {len(my_calls.close)} 个。先打电话的（最多 20 个）：",
            dv.teach.chinese(my_calls.call.head(20))]


dv.teach.own_worklog(my_meeting)

# %% [markdown]
# ## 5. 从 CRM 导出到工作日志：客户和商机是两回事
#
# 不少团队的客户记录不在手填的工作日志表里，而在 CRM 系统里。CRM 导出来的通常是一张**商机表**：一行是一个商机，
# 也就是一笔在谈或者已经谈完的生意，写着客户、负责的销售员、阶段、开始谈的日期、关单日期和金额。它和工作日志有两点不同：
#
# 1. 一行是一个商机，不是一次活动：一个商机的几个阶段挤在同一行里（哪天开始谈，哪天成交或丢单）。
# 2. 同一个客户会有很多个商机：第一单成交以后，老客户还会一单接一单地买。
#
# 客户开发量数的是**客户**：一个客户第一次成交，开发量加一；它以后的每一单都不是“新客户”。
# 下面用课程自带的一份示例导出走一遍，它的格式和公开的 “CRM Sales Opportunities” 数据集一样：
# 商机表 `sales_pipeline.csv`，加一张销售员名单 `sales_teams.csv`（manager 一列就是团队）。

# %%
crm_export, crm_roster = dv.teach.crm_example_files()  # 课程自带的示例：商机表，和销售员名单
crm_raw = pd.read_csv(crm_export)
print(f"{crm_export.name}：{len(crm_raw)} 行，每行一个商机；涉及 {crm_raw['account'].nunique()} 个有名字的客户")
# 表头保留导出里的原样（导入时认的就是它），括号里是中文意思
crm_headers = {"opportunity_id": "商机编号", "sales_agent": "销售员", "product": "产品", "account": "客户",
               "deal_stage": "阶段", "engage_date": "开始谈的日期", "close_date": "关单日期",
               "close_value": "金额", "manager": "经理（团队）", "regional_office": "区域"}
show(crm_raw.head(6).rename(columns=lambda header: f"{header}（{crm_headers[header]}）"))
show(pd.read_csv(crm_roster).head(3).rename(columns=lambda header: f"{header}（{crm_headers[header]}）"))

# %% [markdown]
# 商机表里只有销售员、没有团队，所以导入时要给名单（`--roster`）。在终端里是一条命令：
#
# ```
# devvolume import sales_pipeline.csv --roster sales_teams.csv --out 工作日志.xlsx
# ```
#
# 在 Python 里是 `dv.import_crm`。它把每个商机拆成带日期的几行：开始谈的那天记一行“首次接触”（还在谈的商机记它现在的阶段），
# 成交或丢单的那天记一行“成交”或“流失”，成交那一行带上金额，商机编号留在“商机”一列。
# 没有任何日期、没有客户名的商机不会被悄悄丢掉：导入把它们一个个数出来、写明原因，写入的加上没计入的，正好等于读入的。

# %%
crm = dv.import_crm(crm_export, roster=crm_roster)
print(crm.text())
crm_log = crm.worklog

# %%
crm_deals_per_customer = crm_log.groupby("customer")["deal"].nunique()
crm_busiest = crm_deals_per_customer.idxmax()  # 商机最多的客户
print(f"平均每个客户 {crm_deals_per_customer.mean():.1f} 个商机；{crm_busiest} 有 {crm_deals_per_customer.max()} 个，它在工作日志里是这些行：")
dv.teach.chinese(crm_log[crm_log["customer"] == crm_busiest].drop(columns=["channel", "activity"]))

# %% [markdown]
# ### 5.1 客户赢单率和商机赢单率：两个数都对，回答的问题不同
#
# 赢单率 = 成交 ÷（成交 + 流失）。按客户算，一个客户只要有一个商机成交，就算赢下了这个客户，后来丢掉的单子不改变这一点；
# 按商机算，每个有结果的商机各算一次。`dv.win_rate` 默认按客户算，加 `unit="deal"` 按商机算。

# %%
crm_by_customer = dv.win_rate(crm_log)  # 按客户
crm_by_deal = dv.win_rate(crm_log, unit="deal")  # 按商机
print(f"客户赢单率：{crm_by_customer['win_rate'].iloc[0]:.1%}"
      f"（成交 {crm_by_customer['won'].iloc[0]} 个客户，流失 {crm_by_customer['lost'].iloc[0]} 个客户）")
print(f"商机赢单率：{crm_by_deal['deal_win_rate'].iloc[0]:.1%}"
      f"（成交 {crm_by_deal['deals_won'].iloc[0]} 个商机，流失 {crm_by_deal['deals_lost'].iloc[0]} 个商机）")

# %% [markdown]
# 在这份示例里，每一个客户都至少成交过一个商机，所以客户赢单率是 100%；而有结果的商机里，赢下来的只有六成多。两个数都没错：
#
# - **客户赢单率**回答“想拿下的客户，拿下了多少”，它和客户开发量是一回事；
# - **商机赢单率**回答“销售员跟的单子，成了多少”，它看的是每一笔生意推进得怎么样。
#
# 把两个数混着用就会出错：拿商机赢单率去评价开发客户的本事，会把人看低；拿 100% 的客户赢单率说“我们几乎不丢单”，
# 又看不见那些丢掉的商机。所以报告和课程里，每个数都写明单位：个商机、位客户、元。

# %% [markdown]
# ### 5.2 首单和复购：成交的商机里，有多少是开发来的？
#
# 让一个客户**第一次成交**的那个商机叫**首单**，它就是客户开发；同一个客户以后再成交的商机叫**复购**。
# 上面的示例很小，每个客户恰好只成交过一单，看不出复购。下面用模拟器生成和公开数据集同样大小的导出（8,800 个商机），
# 导入后用 `dv.won_deals` 把成交的商机和金额拆成首单和复购。

# %%
crm_full = dv.sim.crm_opportunities()  # 模拟的完整导出：8,800 个商机，85 个客户，6 个团队
crm_full_log = dv.import_crm(dv.sim.pipeline_csv(crm_full), roster=crm_full.teams[["sales_agent", "manager"]]).worklog
crm_split = dv.won_deals(crm_full_log, period="Y")
dv.teach.chinese(crm_split)

# %%
crm_year = crm_split[crm_split["deals_won"] > 0].iloc[-1]  # 最后一个有成交的年份
print(f"{crm_year['period'].year} 年成交的 {int(crm_year['deals_won']):,} 个商机里，{int(crm_year['first_deals'])} 个是首单，"
      f"其余 {int(crm_year['repeat_deals']):,} 个是老客户的复购；"
      f"首单金额只占成交金额的 {crm_year['first_deal_revenue'] / crm_year['won_revenue']:.1%}。")
crm_full_customer = dv.win_rate(crm_full_log)["win_rate"].iloc[0]
crm_full_deal = dv.win_rate(crm_full_log, unit="deal")["deal_win_rate"].iloc[0]
print(f"客户赢单率 {crm_full_customer:.0%}，商机赢单率 {crm_full_deal:.0%}。")

# %% [markdown]
# 这样的团队，生意几乎全靠老客户：一年里新成交的客户，就是那几十个首单。对管理者来说，这有两层意思：
#
# - 客户开发量小，不等于团队没干活。时间花在老客户身上，生意也正是从老客户来的；周会上只盯着“新客户”，会冤枉人。
# - 反过来，如果公司要的是更多客户，就要把开发新客户单独拿出来定一个小而明确的目标，和复购放在一起看，而不是泛泛地说“多去开发”。
#
# 用 `devvolume report` 给这样的数据做报告时，页面会多一节“商机”：商机赢单率、在谈和停滞的商机（最近还有动静的排在前面，
# 停得太久的建议在 CRM 里按流失关闭）、成交金额，以及首单和复购的拆分，每个数都写着单位；教练建议也会先说明生意主要来自老客户。
# 导出可以直接交给 `report`：`devvolume report sales_pipeline.csv --from pipeline --roster sales_teams.csv --by team --out 报告`。

# %% [markdown]
# ## 小结
#
# - 工作日志是客户开发量的唯一来源：每次活动一行，五个必填项，用 `devvolume validate` 按行号查错。
# - 周会回顾最后一个过完了的周，用统一口径回答：新客户比前一周多了还是少了、每个人怎样（一周的数字小，只追问变化明显的）、
#   管道里有多少客户、先给哪些停滞客户打电话、哪些该记为流失；最后每人定下承诺，下周逐条打勾。
# - 团队和全年的达成率要“先加总、再相除”，不要平均个人达成率。
# - 奖金方案按月结算，超额部分加速；加速越强，越要留意压单和目标是否公平。
#
# **动手练习**：打开 `exercises/06_team_management.ipynb`，做完五道题（第 5 题是客户赢单率和商机赢单率）。答错时，检查器会告诉你错在哪一步。
